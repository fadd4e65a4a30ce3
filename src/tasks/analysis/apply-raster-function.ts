import gdal from 'gdal-async';
import type { BandStatistics } from '../../imagery/store/catalog-store.js';
import { cropBlock, pixelTypeInfo, type BandArray, type PixelBlock } from '../../imagery/render/pixel-block.js';
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
  let result = cropBlock(applyRenderingRule(block, rule, { cellSize: groundCellSize(grid), statistics, grid, sources: blocks }), margin);
  let outGt = gt;
  // A clip to a shape gives a raster of the shape's extent (whole cells), as ArcGIS's Clip does.
  if (clipsToShape(rule)) ({ block: result, geoTransform: outGt } = trimToData(result, gt));
  await writeBlock(file, result, outGt, srsWkt);
  return { pixelType: result.pixelType, bandCount: result.bands.length };
}

/** The smallest window holding every pixel with data (the block itself when none or all have). */
function trimToData(block: PixelBlock, gt: number[]): { block: PixelBlock; geoTransform: number[] } {
  let [c0, r0, c1, r1] = [block.width, block.height, -1, -1];
  for (let r = 0; r < block.height; r++) {
    for (let c = 0; c < block.width; c++) {
      if (block.mask[r * block.width + c] === 0) continue;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
      if (r < r0) r0 = r;
      r1 = r;
    }
  }
  if (c1 < 0 || (c0 === 0 && r0 === 0 && c1 === block.width - 1 && r1 === block.height - 1)) return { block, geoTransform: gt };
  const width = c1 - c0 + 1;
  const height = r1 - r0 + 1;
  const cut = <T extends BandArray>(source: T): T => {
    const out = new (source.constructor as new (n: number) => T)(width * height);
    for (let r = 0; r < height; r++) out.set(source.subarray((r + r0) * block.width + c0, (r + r0) * block.width + c0 + width) as never, r * width);
    return out;
  };
  return {
    block: { ...block, width, height, bands: block.bands.map(cut), mask: cut(block.mask) },
    geoTransform: [gt[0] + c0 * gt[1], gt[1], gt[2], gt[3] + r0 * gt[5], gt[4], gt[5]],
  };
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

async function writeBlock(file: string, block: PixelBlock, gt: number[], srsWkt: string): Promise<void> {
  const type = pixelTypeInfo(block.pixelType).gdal;
  const out = await gdal.drivers.get('GTiff').createAsync(file, block.width, block.height, block.bands.length, type, ['TILED=YES', 'COMPRESS=ZSTD', 'ZSTD_LEVEL=1']);
  try {
    out.geoTransform = gt;
    if (srsWkt) out.srs = gdal.SpatialReference.fromWKT(srsWkt);
    for (let b = 0; b < block.bands.length; b++) {
      const band = await out.bands.getAsync(b + 1);
      await band.pixels.writeAsync(0, 0, block.width, block.height, block.bands[b] as never);
    }
    const masked = block.mask.indexOf(0) >= 0;
    if (!masked) await writeOverviews(out, block.bands, block.width, block.height, !pixelTypeInfo(block.pixelType).integer, null);
    if (masked) {
      const first = await out.bands.getAsync(1);
      first.createMaskBand(GMF_PER_DATASET);
      const mask = first.getMaskBand()!;
      const binary = new Uint8Array(block.mask.length);
      for (let i = 0; i < binary.length; i++) binary[i] = block.mask[i] === 0 ? 0 : 255;
      await mask.pixels.writeAsync(0, 0, block.width, block.height, binary);
    }
    await out.flushAsync();
  } finally {
    out.close();
  }
}
