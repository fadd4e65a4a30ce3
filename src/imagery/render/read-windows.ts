import type gdal from 'gdal-async';
import type { PixelBlock } from './pixel-block.js';
import { bandTarget, takeBlock } from './pixel-buffers.js';
import type { RenderGrid } from './render-grid.js';
import type { Resampling, WarpOptions } from './warp-items.js';

/** The size of a source level (full resolution or one overview) and where its grid sits. */
export interface SourceLevel {
  /** -1: the full-resolution bands, else the overview index. */
  overview: number;
  width: number;
  height: number;
  geoTransform: number[];
}

/** A whole-pixel window of one source level that draws the grid cells `col, row, width, height` one to one. */
export interface LevelWindow {
  overview: number;
  /** First source pixel (of the level) drawn into the first cell. */
  srcCol: number;
  srcRow: number;
  col: number;
  row: number;
  width: number;
  height: number;
}

/**
 * How far a source pixel coordinate of a grid cell centre must stay from a pixel edge for the
 * window to pick the pixel gdalwarp picks: it truncates `x + 1e-10` of a coordinate computed in
 * floating point; a centre this close to an edge is left to the warper.
 */
const EDGE_MARGIN = 1e-6;

/**
 * The window of `levels` (full resolution first, then the overviews) that draws the grid pixel
 * for pixel as gdalwarp would, or null when there is none. It exists when a level's pixels are
 * the grid's (same size, to a drift below a millionth of a pixel across the grid; the grid and
 * the source in one SR, north-up: the caller's to check) and
 *  - `near`: any offset; each cell takes the source pixel under its centre, which is the same
 *    one for the whole row or column up to the offset, unless a centre falls on a pixel edge;
 *  - `bilinear`, `cubic`: the offset is whole pixels (cell centres on pixel centres, where
 *    the kernels weigh one pixel), for integer pixel types (the warper's weights are 1 − 1e-12,
 *    which rounding to an integer removes).
 * The level is the one gdalwarp's `-ovr AUTO` takes: full resolution for pixels the source's
 * size, an overview whose pixels are the grid's otherwise. `cells` is null when no cell
 * centre falls inside the source (nothing to draw, and nothing the warper would draw).
 */
export function levelWindow(levels: SourceLevel[], grid: RenderGrid, resampling: Resampling, integerPixels: boolean): { window: LevelWindow | null } | null {
  if (resampling !== 'near' && !((resampling === 'bilinear' || resampling === 'cubic') && integerPixels)) return null;
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  const level = levels.find(({ geoTransform: gt }) => sameSize(gt[1], rx, grid.width) && sameSize(-gt[5], ry, grid.height));
  if (!level) return null;
  const x = axisWindow(level.geoTransform[0], level.geoTransform[1], grid.bbox.xmin, rx, grid.width, level.width, resampling);
  const y = axisWindow(level.geoTransform[3], level.geoTransform[5], grid.bbox.ymax, -ry, grid.height, level.height, resampling);
  if (x === null || y === null) return null;
  if (x === 'none' || y === 'none') return { window: null };
  return { window: { overview: level.overview, srcCol: x.src, srcRow: y.src, col: x.cell, row: y.cell, width: x.count, height: y.count } };
}

/** A source pixel `size` and a grid pixel `res` drift apart by less than a millionth of a pixel over `cells`. */
function sameSize(size: number, res: number, cells: number): boolean {
  return size > 0 && (Math.abs(size - res) / size) * (cells + 1) < EDGE_MARGIN;
}

/**
 * One axis: the source pixel under the first covered cell's centre, the first covered cell and
 * how many there are; 'none' when no centre is inside the source; null when a centre is too near
 * a pixel edge (near) or the offset is not whole (other kernels).
 */
function axisWindow(origin: number, step: number, gridOrigin: number, gridStep: number, cells: number, size: number, resampling: Resampling): { src: number; cell: number; count: number } | 'none' | null {
  // Source pixel coordinate of the centre of cell i: at(i) = at0 + i (the pixel sizes are equal).
  const at = (i: number) => (gridOrigin + (i + 0.5) * gridStep - origin) / step;
  const first = at(0);
  const last = at(cells - 1);
  if (resampling === 'near') {
    if (nearEdge(first) || nearEdge(last)) return null;
  } else if (Math.abs(first - 0.5 - Math.round(first - 0.5)) > EDGE_MARGIN) {
    return null;
  }
  const pixel0 = Math.floor(first);
  if (Math.floor(last) - pixel0 !== cells - 1) return null; // drift: leave it to the warper
  // Cells whose centre is inside [0, size): pixel0 + i in [0, size).
  const cell = Math.max(0, -pixel0);
  const end = Math.min(cells, size - pixel0);
  if (end <= cell) return 'none';
  return { src: pixel0 + cell, cell, count: end - cell };
}

function nearEdge(at: number): boolean {
  return Math.abs(at - Math.round(at)) < EDGE_MARGIN;
}

/** The levels of an open dataset: full resolution, then its overviews (first band's), with their grids. */
export function datasetLevels(dataset: gdal.Dataset): SourceLevel[] {
  let levels = knownLevels.get(dataset);
  if (!levels) knownLevels.set(dataset, (levels = readLevels(dataset)));
  return levels;
}

/** Per pooled handle: a file's levels do not change while it is open. */
const knownLevels = new WeakMap<gdal.Dataset, SourceLevel[]>();

function readLevels(dataset: gdal.Dataset): SourceLevel[] {
  const gt = dataset.geoTransform;
  if (!gt || gt[2] !== 0 || gt[4] !== 0) return [];
  const { x: width, y: height } = dataset.rasterSize;
  const levels: SourceLevel[] = [{ overview: -1, width, height, geoTransform: gt }];
  const overviews = dataset.bands.get(1).overviews;
  const count = overviews.count();
  for (let i = 0; i < count; i++) {
    const o = overviews.get(i);
    const w = o.size.x;
    const h = o.size.y;
    levels.push({ overview: i, width: w, height: h, geoTransform: [gt[0], (gt[1] * width) / w, 0, gt[3], 0, (gt[5] * height) / h] });
  }
  return levels;
}

/**
 * The same pixels as `warpDatasets` (nearest, or bilinear/cubic at whole-pixel offsets) for
 * north-up sources in the grid's SR without mask, nodata or alpha whose `levelWindow` exists:
 * each source's window is read as it is stored, no resampling and no warper (a plain RasterIO of
 * the level's blocks) straight into the block's bands, then marked as data. The cheapest way to
 * draw a view at the source's resolution: `warpDatasets` computes and checks a source coordinate
 * per pixel, and copies its result once more. Windows are first cut by the ones above them
 * (`datasets` go bottom to top); disjoint windows are read in parallel, overlapping ones in
 * painting order.
 *
 * @example const block = await readWindows([bottom, top], windows, grid, { resampling: 'near', bandCount: 3, pixelType: 'U8' });
 */
export async function readWindows(datasets: gdal.Dataset[], windows: Array<LevelWindow | null>, grid: RenderGrid, options: WarpOptions): Promise<PixelBlock> {
  const bandCount = Math.min(options.bandCount, ...datasets.map((dataset) => dataset.bands.count()));
  const cut = cutByUpper(windows);
  // Disjoint windows that fill the grid write every value: no need to clear recycled memory.
  const fills = options.alpha === false && cut !== null && cut.reduce((cells, w) => cells + (w ? w.width * w.height : 0), 0) === grid.width * grid.height;
  const block = takeBlock(grid.width, grid.height, bandCount, options.pixelType, !fills, options.interleave);
  const read = async (i: number, window: LevelWindow) => {
    const dataset = datasets[i];
    const interleaved = isPixelInterleaved(dataset);
    for (let b = 0; b < bandCount; b++) {
      options.signal?.throwIfAborted();
      const band = dataset.bands.get(b + 1);
      const level = window.overview < 0 ? band : band.overviews.get(window.overview);
      const { array, ...strides } = bandTarget(block, b, window.col, window.row);
      const args = [window.srcCol, window.srcRow, window.width, window.height, array as Uint8Array, strides] as const;
      // Decoding the first band's blocks of a pixel-interleaved file caches every band's: the
      // others are copies from GDAL's cache, cheaper here than handed to the pool and back.
      if (b > 0 && interleaved) level.pixels.read(...args);
      else await level.pixels.readAsync(...args);
    }
  };
  const parts = (cut ?? windows).flatMap((window, i) => (window ? [{ i, window }] : []));
  if (cut) await Promise.all(parts.map(({ i, window }) => read(i, window)));
  else for (const { i, window } of parts) await read(i, window);
  if (options.alpha === false) block.mask.fill(255);
  else for (const { window } of parts) for (let r = window.row; r < window.row + window.height; r++) block.mask.fill(255, r * grid.width + window.col, r * grid.width + window.col + window.width);
  return block;
}

/** Bands stored pixel by pixel (GTiff INTERLEAVE=PIXEL: one block holds every band), per pooled handle. */
function isPixelInterleaved(dataset: gdal.Dataset): boolean {
  let interleaved = pixelInterleaved.get(dataset);
  if (interleaved === undefined) pixelInterleaved.set(dataset, (interleaved = (dataset.getMetadata('IMAGE_STRUCTURE') as Record<string, string>).INTERLEAVE === 'PIXEL'));
  return interleaved;
}

const pixelInterleaved = new WeakMap<gdal.Dataset, boolean>();

/**
 * Each window less what the windows above it (later in the list) cover, when that leaves a
 * rectangle (or nothing): then no two overlap. Null when some overlap cannot be cut away.
 */
export function cutByUpper(windows: Array<LevelWindow | null>): Array<LevelWindow | null> | null {
  const out: Array<LevelWindow | null> = [];
  for (let i = 0; i < windows.length; i++) {
    let window = windows[i];
    for (let j = i + 1; j < windows.length && window; j++) {
      const upper = windows[j];
      if (!upper) continue;
      const next = cut(window, upper);
      if (next === undefined) return null;
      window = next;
    }
    out.push(window);
  }
  return out;
}

/** `lower` less `upper`: itself when apart, null when covered, undefined when two pieces or an L would be left. */
function cut(lower: LevelWindow, upper: LevelWindow): LevelWindow | null | undefined {
  const x = span(lower.col, lower.width, upper.col, upper.width);
  const y = span(lower.row, lower.height, upper.row, upper.height);
  if (x === 'apart' || y === 'apart') return lower;
  if (x === 'covered' && y === 'covered') return null;
  if (y === 'covered' && typeof x === 'object') return { ...lower, col: x.start, width: x.length, srcCol: lower.srcCol + x.start - lower.col };
  if (x === 'covered' && typeof y === 'object') return { ...lower, row: y.start, height: y.length, srcRow: lower.srcRow + y.start - lower.row };
  return undefined;
}

/** One axis of `cut`: the part of [a, a + n) outside [b, b + m) when it is one interval. */
function span(a: number, n: number, b: number, m: number): 'apart' | 'covered' | 'split' | { start: number; length: number } {
  const end = a + n;
  const upperEnd = b + m;
  if (upperEnd <= a || b >= end) return 'apart';
  if (b <= a && upperEnd >= end) return 'covered';
  if (b <= a) return { start: upperEnd, length: end - upperEnd };
  if (upperEnd >= end) return { start: a, length: b - a };
  return 'split';
}
