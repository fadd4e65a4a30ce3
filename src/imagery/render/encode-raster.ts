import gdal from 'gdal-async';
import { ApiError } from '../../errors.js';
import { isFloatType } from '../../raster/pixel-type.js';
import { convertBlock, defaultNoData, fillNoData } from './convert-pixel-type.js';
import type { EncodedImage } from './encode-image.js';
import { pixelTypeInfo, type PixelBlock } from './pixel-block.js';
import { gridGeoTransform, type RenderGrid } from './render-grid.js';
import { dropQuietly, releaseVsimem, uniqueVsimemName } from './vsimem-file.js';

/** Formats that carry the pixel values themselves. */
export type RasterFormat = 'tiff' | 'lerc' | 'bip' | 'bsq';

export interface RasterEncoding {
  pixelType: string;
  /** Per band (or one for all); the type's lowest value when not given. */
  noData?: number[];
  /** TIFF: None, JPEG, LZ77 (Deflate), LZW. */
  compression?: string;
  quality: number;
  lercVersion: 1 | 2;
  /** LERC max error; 0.5 keeps integers exact. */
  compressionTolerance?: number;
}

const TIFF_COMPRESSION: Record<string, string> = { none: 'NONE', jpeg: 'JPEG', lz77: 'DEFLATE', deflate: 'DEFLATE', lzw: 'LZW' };

/**
 * Encodes pixel values: GeoTIFF (georeferenced, no data set), LERC (GDAL's MRF writer: one blob
 * per band, concatenated, as ArcGIS sends them), or raw BIP/BSQ little-endian. Pixels without data
 * carry the no-data value; LERC 1 also marks them in its mask, so it is used whenever some pixel
 * is empty (GDAL 3.6's LERC 2 writer keeps no mask).
 */
export async function encodeRaster(block: PixelBlock, grid: RenderGrid, format: RasterFormat, encoding: RasterEncoding): Promise<EncodedImage> {
  const converted = convertBlock(block, encoding.pixelType);
  const out = converted === block ? { ...block, bands: block.bands.map((b) => b.slice()) } : converted;
  const noData = encoding.noData ?? [defaultNoData(out.pixelType)];
  fillNoData(out, noData);
  if (format === 'bip' || format === 'bsq') return encodeInterleaved(out, format);
  const mem = toMemDataset(out, grid, noData);
  try {
    return format === 'tiff' ? await writeTiff(mem, encoding) : await writeLerc(mem, out, encoding);
  } finally {
    mem.close();
  }
}

function toMemDataset(block: PixelBlock, grid: RenderGrid, noData: number[]): gdal.Dataset {
  const type = pixelTypeInfo(block.pixelType);
  const mem = gdal.drivers.get('MEM').create('', block.width, block.height, block.bands.length, type.gdal);
  mem.geoTransform = gridGeoTransform(grid);
  mem.srs = grid.srs.gdal;
  block.bands.forEach((values, b) => {
    const band = mem.bands.get(b + 1);
    band.noDataValue = noData[Math.min(b, noData.length - 1)];
    band.pixels.write(0, 0, block.width, block.height, values as Uint8Array);
  });
  return mem;
}

async function writeTiff(mem: gdal.Dataset, encoding: RasterEncoding): Promise<EncodedImage> {
  const compression = TIFF_COMPRESSION[(encoding.compression ?? 'none').toLowerCase()];
  if (!compression) throw ApiError.invalidParameter(`'compression' parameter is invalid: ${encoding.compression}`);
  const options = [`COMPRESS=${compression}`, 'TILED=YES'];
  if (compression === 'JPEG') options.push(`JPEG_QUALITY=${Math.min(100, Math.max(1, Math.round(encoding.quality)))}`);
  if (compression !== 'NONE' && compression !== 'JPEG') options.push(`PREDICTOR=${isFloatType(mem.bands.get(1).dataType ?? '') ? 3 : 2}`);
  const name = uniqueVsimemName('tif');
  try {
    (await gdal.drivers.get('GTiff').createCopyAsync(name, mem, options)).close();
    return { bytes: releaseVsimem(name), contentType: 'image/tiff', extension: 'tif' };
  } catch (cause) {
    if (compression === 'JPEG') throw ApiError.invalidParameter("'compression' parameter is invalid: JPEG needs 8-bit pixels");
    throw cause;
  } finally {
    dropQuietly(name);
  }
}

async function writeLerc(mem: gdal.Dataset, block: PixelBlock, encoding: RasterEncoding): Promise<EncodedImage> {
  const name = uniqueVsimemName('mrf');
  const base = name.replace(/\.mrf$/, '');
  const hasHoles = block.mask.some((m) => m === 0);
  const tolerance = encoding.compressionTolerance ?? (pixelTypeInfo(block.pixelType).integer ? 0.5 : 0);
  const lercOptions = [`LERC_PREC:${tolerance}`, ...(encoding.lercVersion === 1 || hasHoles ? ['V1:1'] : [])];
  const options = ['COMPRESS=LERC', `BLOCKXSIZE=${block.width}`, `BLOCKYSIZE=${block.height}`, 'INTERLEAVE=BAND', `OPTIONS=${lercOptions.join(' ')}`];
  try {
    (await gdal.drivers.get('MRF').createCopyAsync(name, mem, options)).close();
    return { bytes: releaseVsimem(`${base}.lrc`, [name, `${base}.idx`]), contentType: 'application/octet-stream', extension: 'lerc' };
  } finally {
    for (const file of [name, `${base}.idx`, `${base}.lrc`, `${name}.aux.xml`]) dropQuietly(file);
  }
}

function encodeInterleaved(block: PixelBlock, format: 'bip' | 'bsq'): EncodedImage {
  const type = pixelTypeInfo(block.pixelType);
  const n = block.width * block.height;
  const count = block.bands.length;
  const out = new type.array(n * count);
  block.bands.forEach((values, b) => {
    if (format === 'bsq') out.set(values as never, b * n);
    else for (let i = 0; i < n; i++) out[i * count + b] = values[i];
  });
  return { bytes: Buffer.from(out.buffer, out.byteOffset, out.byteLength), contentType: 'application/octet-stream', extension: format };
}
