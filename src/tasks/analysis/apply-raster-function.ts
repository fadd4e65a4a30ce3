import gdal from 'gdal-async';
import type { BandStatistics } from '../../imagery/store/catalog-store.js';
import { pixelTypeInfo, type BandArray, type PixelBlock } from '../../imagery/render/pixel-block.js';
import { applyRenderingRule, clipsToShape, ruleMargin, type RenderingRule } from '../../imagery/render/raster-functions/rendering-rule.js';
import { expandGrid, groundCellSize } from '../../imagery/render/render-grid.js';
import { resolveSrs } from '../../imagery/render/srs-cache.js';
import { toPixelType } from '../../raster/pixel-type.js';
import { GMF_ALL_VALID, GMF_PER_DATASET } from '../../raster/read-reduced.js';
import { writeOverviews } from '../../raster/write-overviews.js';

/**
 * Runs a rendering rule over a whole raster with the very functions exportImage uses, on the
 * same terms: the raster read with the rule's margin around it (no data beyond the edges), the
 * cell size measured on the ground over that grown grid, the given statistics for the innermost
 * function. So a persisted result equals the on-the-fly rendering of the same raster at its own
 * grid, pixel for pixel. Writes a GeoTIFF with the result's pixel type and a per-dataset mask.
 */
export async function applyRasterFunction(sources: string | string[], rule: RenderingRule, statistics: BandStatistics[] | null, file: string): Promise<{ pixelType: string; bandCount: number }> {
  const files = typeof sources === 'string' ? [sources] : sources;
  const margin = ruleMargin(rule);
  let gt: number[] = [];
  let srsWkt = '';
  // Every input is on the first one's grid (GenerateRaster aligns them before).
  const blocks: PixelBlock[] = [];
  for (const [i, source] of files.entries()) {
    const dataset = await gdal.openAsync(source);
    try {
      const { x: width, y: height } = await dataset.rasterSizeAsync;
      if (i === 0) {
        gt = (await dataset.geoTransformAsync)!;
        srsWkt = dataset.srs?.toWKT() ?? '';
      }
      blocks.push(await readBlock(dataset, width, height, margin));
    } finally {
      dataset.close();
    }
  }
  const [block] = blocks;
  const width = block.width - 2 * margin;
  const height = block.height - 2 * margin;
  const bbox = { xmin: gt[0], xmax: gt[0] + gt[1] * width, ymax: gt[3], ymin: gt[3] + gt[5] * height };
  const grid = expandGrid({ bbox, width, height, srs: resolveSrs({ srsWkt, epsg: null }) }, margin);
  const result = applyRenderingRule(block, rule, { cellSize: groundCellSize(grid), statistics, grid, sources: blocks });
  // The raster is the result's inside, written from where it lies (no cropped copy).
  let window: Window = { x: margin, y: margin, width, height };
  // A clip to a shape gives a raster of the shape's extent (whole cells), as ArcGIS's Clip does.
  if (clipsToShape(rule)) window = trimToData(result, window);
  const outGt = [gt[0] + (window.x - margin) * gt[1], gt[1], gt[2], gt[3] + (window.y - margin) * gt[5], gt[4], gt[5]];
  await writeBlock(file, result, window, outGt, srsWkt);
  return { pixelType: result.pixelType, bandCount: result.bands.length };
}

/** A rectangle of a block's cells: first column and row, size. */
interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The smallest part of the window holding every pixel with data (the window itself when none or all have). */
function trimToData(block: PixelBlock, window: Window): Window {
  let [c0, r0, c1, r1] = [window.width, window.height, -1, -1];
  for (let r = 0; r < window.height; r++) {
    const i0 = (window.y + r) * block.width + window.x;
    for (let c = 0; c < window.width; c++) {
      if (block.mask[i0 + c] === 0) continue;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
      if (r < r0) r0 = r;
      r1 = r;
    }
  }
  if (c1 < 0) return window;
  return { x: window.x + c0, y: window.y + r0, width: c1 - c0 + 1, height: r1 - r0 + 1 };
}

/** All bands in their own type, grown by `margin` cells of no data on every side. */
async function readBlock(dataset: gdal.Dataset, width: number, height: number, margin: number): Promise<PixelBlock> {
  const first = await dataset.bands.getAsync(1);
  const pixelType = toPixelType(first.dataType ?? 'Float32');
  const { array } = pixelTypeInfo(pixelType);
  const w = width + 2 * margin;
  const h = height + 2 * margin;
  const bands = [];
  for (let b = 1; b <= dataset.bands.count(); b++) {
    const band = await dataset.bands.getAsync(b);
    if (band.colorInterpretation === 'Alpha') continue;
    bands.push(await readInto(band, new array(w * h), width, height, margin));
  }
  // An all-valid mask is 255 everywhere: filled here rather than read.
  const maskBand = first.getMaskFlags() & GMF_ALL_VALID ? null : first.getMaskBand();
  const mask = new Uint8Array(w * h);
  if (maskBand) await readInto(maskBand, mask, width, height, margin);
  else for (let row = 0; row < height; row++) mask.fill(255, (row + margin) * w + margin, (row + margin) * w + margin + width);
  return { width: w, height: h, bands, mask, pixelType };
}

/** Reads a band straight into the inside of a grown buffer (rows `margin` cells in, no copy). */
async function readInto<T extends BandArray>(band: gdal.RasterBand, out: T, width: number, height: number, margin: number): Promise<T> {
  const w = width + 2 * margin;
  const offset = margin * w + margin;
  const bytes = out.BYTES_PER_ELEMENT;
  await band.pixels.readAsync(0, 0, width, height, out.subarray(offset) as never, { buffer_width: width, buffer_height: height, pixel_space: bytes, line_space: w * bytes });
  return out;
}

/** Writes the window of the block: its bands straight from the block's rows (GDAL strides over them), and its mask. */
async function writeBlock(file: string, block: PixelBlock, window: Window, gt: number[], srsWkt: string): Promise<void> {
  const { width, height } = window;
  const type = pixelTypeInfo(block.pixelType).gdal;
  const out = await gdal.drivers.get('GTiff').createAsync(file, width, height, block.bands.length, type, ['TILED=YES', 'COMPRESS=ZSTD', 'ZSTD_LEVEL=1']);
  try {
    out.geoTransform = gt;
    if (srsWkt) out.srs = gdal.SpatialReference.fromWKT(srsWkt);
    const offset = window.y * block.width + window.x;
    const bands = block.bands.map((band) => band.subarray(offset));
    for (let b = 0; b < bands.length; b++) {
      const band = await out.bands.getAsync(b + 1);
      const bytes = bands[b].BYTES_PER_ELEMENT;
      await band.pixels.writeAsync(0, 0, width, height, bands[b] as never, { buffer_width: width, buffer_height: height, pixel_space: bytes, line_space: block.width * bytes });
    }
    const binary = binaryMask(block, window);
    if (!binary) await writeOverviews(out, bands, width, height, !pixelTypeInfo(block.pixelType).integer, null, block.width);
    else {
      const first = await out.bands.getAsync(1);
      first.createMaskBand(GMF_PER_DATASET);
      await first.getMaskBand()!.pixels.writeAsync(0, 0, width, height, binary);
    }
    await out.flushAsync();
  } finally {
    out.close();
  }
}

/** The window's mask as 0 and 255, or null when every cell of it has data. */
function binaryMask(block: PixelBlock, window: Window): Uint8Array | null {
  const { mask } = block;
  let binary: Uint8Array | null = null;
  for (let r = 0; r < window.height; r++) {
    const i0 = (window.y + r) * block.width + window.x;
    if (!binary) {
      const row = mask.subarray(i0, i0 + window.width);
      if (row.indexOf(0) < 0) continue;
      // The rows before had data everywhere.
      binary = new Uint8Array(window.width * window.height);
      binary.fill(255, 0, r * window.width);
    }
    for (let c = 0; c < window.width; c++) binary[r * window.width + c] = mask[i0 + c] === 0 ? 0 : 255;
  }
  return binary;
}
