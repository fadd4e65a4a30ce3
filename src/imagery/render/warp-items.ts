import gdal from 'gdal-async';
import type { PixelBlock } from './pixel-block.js';
import { pixelTypeInfo } from './pixel-block.js';
import { bandTarget, takeBlock } from './pixel-buffers.js';
import type { RenderGrid } from './render-grid.js';

/** Resampling as gdalwarp names it (`RSP_Majority` is `mode`). */
export type Resampling = 'near' | 'bilinear' | 'cubic' | 'mode';

export interface WarpOptions {
  resampling: Resampling;
  /** Data bands to produce (sources' alpha bands excluded). */
  bandCount: number;
  /** ArcGIS pixel type of the output (the sources' own, normally). */
  pixelType: string;
  /**
   * Track coverage with an alpha band (default). Without it (a third of the warp's cost) every
   * pixel counts as data: only for views the sources are known to cover entirely.
   */
  alpha?: boolean;
  /** The request's: aborted when its client has gone, checked before each GDAL read. */
  signal?: AbortSignal;
  /**
   * 8-bit values laid out pixel-interleaved (pixel-buffers.ts `takeInterleavedBlock`), for a
   * block that goes straight to an image encoder. Readers that cannot do it give planes.
   */
  interleave?: boolean;
}

/**
 * Warps already-open datasets onto the grid in one `warpAsync` (off the event loop), each later
 * dataset painted over the earlier ones where it has data, and reads the result back as a
 * PixelBlock. GDAL picks source overviews for small scales (`-ovr AUTO`), honours source nodata,
 * alpha and mask bands, and skips grid chunks no source covers.
 *
 * @example const block = await warpDatasets([bottom, top], grid, { resampling: 'near', bandCount: 3, pixelType: 'U8' });
 */
export async function warpDatasets(datasets: gdal.Dataset[], grid: RenderGrid, options: WarpOptions): Promise<PixelBlock> {
  const { bbox, width, height } = grid;
  const type = pixelTypeInfo(options.pixelType);
  const args = [
    '-of', 'MEM',
    '-te', String(bbox.xmin), String(bbox.ymin), String(bbox.xmax), String(bbox.ymax),
    '-ts', String(width), String(height),
    '-t_srs', grid.srs.text,
    '-r', options.resampling,
    '-ot', type.gdal,
    '-wo', 'SKIP_NOSOURCE=YES',
    // Alpha is 0–255 whatever the data type (GDAL would use 32767 for Int16, 65535 for UInt16).
    ...(options.alpha === false ? ['-dstnodata', 'None'] : ['-dstalpha', '-wo', 'DST_ALPHA_MAX=255']),
  ];
  options.signal?.throwIfAborted();
  const warped = await gdal.warpAsync('render', null, datasets, args);
  try {
    return readWarped(warped, width, height, options);
  } finally {
    warped.close();
  }
}

/** Reads the MEM result: it belongs to this render alone, so the synchronous reads are memcpys. */
export function readWarped(warped: gdal.Dataset, width: number, height: number, options: WarpOptions): PixelBlock {
  const total = warped.bands.count();
  const withAlpha = options.alpha !== false;
  const bandCount = Math.min(options.bandCount, withAlpha ? total - 1 : total);
  // Every value is read (or set) below: recycled memory needs no clearing.
  const block = takeBlock(width, height, bandCount, options.pixelType, false, options.interleave);
  for (let b = 0; b < bandCount; b++) {
    const { array, ...strides } = bandTarget(block, b, 0, 0);
    warped.bands.get(b + 1).pixels.read(0, 0, width, height, array as Uint8Array, strides);
  }
  if (withAlpha) warped.bands.get(total).pixels.read(0, 0, width, height, block.mask, { data_type: gdal.GDT_Byte });
  else block.mask.fill(255);
  return block;
}
