import gdal from 'gdal-async';
import { pixelTypeInfo, type PixelBlock } from './pixel-block.js';
import { bandTarget, takeBlock } from './pixel-buffers.js';
import type { RenderGrid } from './render-grid.js';
import { readWarped, type Resampling, type WarpOptions } from './warp-items.js';

/** Resamplings this path draws as the warper would (nearest rounds pixel centres differently). */
export const RESAMPLED_READS: ReadonlySet<Resampling> = new Set(['bilinear', 'cubic']);

/**
 * The same pixels as `warpDatasets` for north-up sources already in the grid's SR, for a third
 * to half of the CPU: each open dataset is read on the grid by `translate` — GDAL's resampled
 * RasterIO with floating-point source windows and the source's own overviews — instead of the
 * general warp kernel, then the sources are painted bottom to top over the grid cells whose
 * centre they cover (where the warper would sample them). Sources are either one dataset whose
 * last band is alpha (a collection overview), or datasets without mask, nodata or alpha.
 * (A VRT over them would paint them in one read, but through gdalbuildvrt's VRT every render
 * decoded the sources' JPEG tiles again — a sixth of the CPU, measured. `translate` itself reads
 * through a VRT, and a VRT flushes its sources' block caches when it closes
 * (VRTSimpleSource::FlushCache): each resampled view leaves its pooled handle with no decoded
 * tiles — a cached 512² window re-read costs 0.75 ms CPU, 5.6 ms after one translate.
 * Translating on handles of their own instead moved the decoding to the translate, measured
 * no cheaper; a MEM copy of the cached window as the source changes pixels.)
 *
 * @example const block = await resampleDatasets([bottom, top], grid, { resampling: 'bilinear', bandCount: 3, pixelType: 'U8' });
 */
export async function resampleDatasets(datasets: gdal.Dataset[], grid: RenderGrid, options: WarpOptions): Promise<PixelBlock> {
  const withAlpha = options.alpha !== false;
  if (datasets.length === 1 && hasAlphaBand(datasets[0])) {
    const resampled = await readOnGrid(datasets[0], grid, options, withAlpha);
    try {
      const block = readWarped(resampled, grid.width, grid.height, options);
      if (withAlpha) clearOutside(block.mask, grid, coveredCells(datasets[0], grid));
      return block;
    } finally {
      resampled.close();
    }
  }
  const parts = datasets.flatMap((dataset) => {
    const cells = coveredCells(dataset, grid);
    return cells ? [{ dataset, cells }] : [];
  });
  const settled = await Promise.allSettled(parts.map(({ dataset }) => readOnGrid(dataset, grid, options, false)));
  const resampled = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const bandCount = Math.min(options.bandCount, ...resampled.map((dataset) => dataset.bands.count()));
    const block = takeBlock(grid.width, grid.height, bandCount, options.pixelType, true, options.interleave);
    resampled.forEach((dataset, i) => paint(block, bandCount, dataset, parts[i].cells));
    if (!withAlpha) block.mask.fill(255);
    return block;
  } finally {
    resampled.forEach((dataset) => dataset.close());
  }
}

interface Cells {
  col: number;
  row: number;
  width: number;
  height: number;
}

/** The grid cells whose centre falls inside the dataset; null when none does. */
function coveredCells(dataset: gdal.Dataset, grid: RenderGrid): Cells | null {
  const gt = dataset.geoTransform!;
  const { x: columns, y: rows } = dataset.rasterSize;
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  // Centre of cell c is at xmin + (c + 0.5) rx: inside when x0 <= it < x1.
  const x0 = (gt[0] - grid.bbox.xmin) / rx - 0.5;
  const x1 = (gt[0] + columns * gt[1] - grid.bbox.xmin) / rx - 0.5;
  const y0 = (grid.bbox.ymax - gt[3]) / ry - 0.5;
  const y1 = (grid.bbox.ymax - (gt[3] + rows * gt[5])) / ry - 0.5;
  const col = Math.max(0, Math.ceil(x0));
  const row = Math.max(0, Math.ceil(y0));
  const width = Math.min(grid.width, Math.ceil(x1)) - col;
  const height = Math.min(grid.height, Math.ceil(y1)) - row;
  return width > 0 && height > 0 ? { col, row, width, height } : null;
}

/** Zeroes the mask outside the cells (translate rounds a window that leaves its source). */
function clearOutside(mask: Uint8Array, grid: RenderGrid, cells: Cells | null): void {
  if (!cells) return void mask.fill(0);
  const { col, row, width, height } = cells;
  mask.fill(0, 0, row * grid.width);
  mask.fill(0, (row + height) * grid.width);
  for (let r = row; r < row + height; r++) {
    mask.fill(0, r * grid.width, r * grid.width + col);
    mask.fill(0, r * grid.width + col + width, (r + 1) * grid.width);
  }
}

/** Copies the covered cells of one resampled source into the block (GDAL strided reads). */
function paint(block: PixelBlock, bandCount: number, resampled: gdal.Dataset, cells: Cells): void {
  const { col, row, width, height } = cells;
  for (let b = 0; b < bandCount; b++) {
    const { array, ...strides } = bandTarget(block, b, col, row);
    resampled.bands.get(b + 1).pixels.read(col, row, width, height, array as Uint8Array, strides);
  }
  for (let r = row; r < row + height; r++) block.mask.fill(255, r * block.width + col, r * block.width + col + width);
}

/** One dataset read on the grid: `gdal_translate -projwin -outsize` (fractional source windows). */
async function readOnGrid(source: gdal.Dataset, grid: RenderGrid, options: WarpOptions, withAlpha: boolean): Promise<gdal.Dataset> {
  options.signal?.throwIfAborted();
  const { bbox, width, height } = grid;
  return gdal.translateAsync('render', source, [
    '-of', 'MEM',
    '-projwin', String(bbox.xmin), String(bbox.ymax), String(bbox.xmax), String(bbox.ymin),
    '-outsize', String(width), String(height),
    '-r', options.resampling,
    '-ot', pixelTypeInfo(options.pixelType).gdal,
    ...bandArgs(source, options.bandCount, withAlpha),
  ]);
}

/**
 * True when the last band is an alpha band (a collection overview): resampled reads weigh the
 * data bands by it, as the warper does. A sync getter on a handle this render holds alone.
 */
function hasAlphaBand(dataset: gdal.Dataset): boolean {
  const bands = dataset.bands;
  return bands.count() > 1 && bands.get(bands.count()).colorInterpretation === gdal.GCI_AlphaBand;
}

/** The data bands asked for, then the alpha band when there is one (the last). */
function bandArgs(source: gdal.Dataset, bandCount: number, withAlpha: boolean): string[] {
  const total = source.bands.count();
  const alpha = withAlpha && hasAlphaBand(source);
  const data = Math.min(bandCount, alpha ? total - 1 : total);
  const bands = Array.from({ length: data }, (_, i) => i + 1);
  if (alpha) bands.push(total);
  return bands.flatMap((b) => ['-b', String(b)]);
}
