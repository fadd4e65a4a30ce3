import type gdal from 'gdal-async';
import type { Bounds } from '../../raster/transform-bounds.js';
import { inTurn } from '../../in-turn.js';
import { readsThisServer } from '../../raster/gdal-egress.js';
import { GMF_ALL_VALID } from '../../raster/read-reduced.js';
import type { CatalogItem, CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import { combineBlocks, type CombineOperation } from './combine-blocks.js';
import { datasetPool, type DatasetPool } from './dataset-pool.js';
import type { MosaicRule } from './mosaic-rule.js';
import { pixelTypeInfo, type PixelBlock } from './pixel-block.js';
import { recycleBlock, takeBlock } from './pixel-buffers.js';
import { datasetLevels, levelWindow, readWindows, type LevelWindow } from './read-windows.js';
import type { RenderGrid } from './render-grid.js';
import { overviewLevelFor, type CollectionOverview, type CollectionOverviews } from './collection-overview.js';
import { collectionPixelType, dataBandCount } from './collection-pixels.js';
import { selectMosaicItems, type Selection } from './select-items.js';
import { RESAMPLED_READS, resampleDatasets } from './resample-items.js';
import { renderSlots } from './render-slots.js';
import { isSameSrs, moveBounds, pointTransformer, resolveSrs } from './srs-cache.js';
import { warpDatasets, type Resampling, type WarpOptions } from './warp-items.js';

export interface MosaicRequest {
  collection: CollectionRecord;
  grid: RenderGrid;
  rule: MosaicRule;
  resampling: Resampling;
  /** maxMosaicImageCount. */
  limit: number;
  /** Ignore MinPS/MaxPS (statistics over the whole collection, explicit raster ids). */
  anyPixelSize?: boolean;
  /** Collection overviews for small scales; none when absent. */
  overviews?: CollectionOverviews;
  /** The request's: a client that has gone stops the render before its next read. */
  signal?: AbortSignal;
  /** 8-bit pixels pixel-interleaved where the reader can (WarpOptions.interleave): the block goes straight to an encoder. */
  interleave?: boolean;
}

export interface RenderedMosaic {
  block: PixelBlock;
  /** The items that were drawn, top first. */
  items: CatalogItem[];
}

/**
 * Renders the mosaic of a collection on a grid: picks and orders the items (select-items),
 * then either one warp painting them bottom to top (first/last) or one warp per item, in
 * parallel, combined pixel by pixel (min/max/mean/blend/sum, and seamline).
 *
 * @example const { block } = await renderMosaic(catalog, { collection, grid, rule, resampling: 'bilinear', limit: 20 });
 */
export async function renderMosaic(catalog: CatalogStore, request: MosaicRequest, pool: DatasetPool = datasetPool): Promise<RenderedMosaic> {
  const { collection, grid } = request;
  const bandCount = dataBandCount(collection);
  const pixelType = collectionPixelType(collection);
  const empty = (): RenderedMosaic => emptyMosaic(grid, bandCount, pixelType);
  const collectionSrs = resolveSrs(collection);
  let area: Bounds;
  try {
    area = moveBounds(grid.bbox, grid.srs, collectionSrs);
  } catch {
    return empty(); // a view that does not project into the collection's SR shows nothing of it
  }
  const operation = combineOperation(request.rule);
  const pixelSize = request.anyPixelSize ? undefined : ((area.xmax - area.xmin) / grid.width + (area.ymax - area.ymin) / grid.height) / 2;
  const stopWhenCovered = operation === 'first' || operation === 'last';
  const selection = await selectMosaicItems(catalog, { collection, area, pixelSize, rule: request.rule, limit: request.limit, stopWhenCovered }, request.signal);
  request.signal?.throwIfAborted();
  const options = { resampling: request.resampling, bandCount, pixelType, signal: request.signal, interleave: request.interleave };
  const overview = pixelSize === undefined ? null : overviewFor(request, selection, pixelSize, catalog);
  if (overview) {
    const level = overviewLevelFor(overview, pixelSize!);
    // The overview is in the collection's SR, with an alpha band; levels have no overviews.
    const aligned = gridResolution(grid).every((r) => r / level.pixelSize <= 1 + LEVEL_TOLERANCE);
    const draw = RESAMPLED_READS.has(request.resampling) && aligned && isSameSrs(collectionSrs, grid.srs) ? resampleDatasets : warpDatasets;
    const drawn = await renderSlots.run(
      () => pool.withDatasets([level.path], async ([dataset]) => (dataset ? { block: await draw([dataset], grid, options), items: [] } : null)),
      request.signal,
    );
    if (drawn) return drawn;
    request.overviews!.forget(collection); // its files went missing: draw the items this time
  }
  const { items } = selection;
  if (items.length === 0) return empty();
  return renderSlots.run(() => drawItems(pool, items, selection, request, operation, options), request.signal);
}

/** The selected items drawn on the grid: painted over each other, or warped one by one and combined. */
function drawItems(pool: DatasetPool, items: CatalogItem[], selection: Selection, request: MosaicRequest, operation: CombineOperation, options: WarpOptions): Promise<RenderedMosaic> {
  const { collection, grid } = request;
  const { pixelType } = options;
  const empty = (): RenderedMosaic => emptyMosaic(grid, options.bandCount, pixelType);
  return pool.withDatasets(
    items.map((item) => item.path),
    async (opened) => {
      const drawn = items.filter((_, i) => opened[i] !== null);
      const datasets = opened.filter((d): d is gdal.Dataset => d !== null);
      if (datasets.length === 0) return empty();
      if (operation === 'first' || operation === 'last') {
        // Later datasets paint over earlier ones: the top item goes last for `first`.
        const painted = operation === 'first' ? [...datasets].reverse() : datasets;
        const allValid = datasets.every(isAllValid);
        const alpha = !(selection.coversArea && drawn.length === items.length && allValid);
        const windows = allValid && sameGridSrs(drawn, grid) ? wholePixelWindows(painted, grid, request.resampling, pixelType) : null;
        if (windows) return { block: await readWindows(painted, windows, grid, { ...options, alpha }), items: drawn };
        const draw = allValid && canResample(drawn, grid, request.resampling) ? resampleDatasets : warpDatasets;
        return { block: await draw(painted, grid, { ...options, alpha }), items: drawn };
      }
      const warp = (dataset: gdal.Dataset, i: number) => warpItem(dataset, drawn[i], grid, collection, options);
      // Items read from this server warp one at a time (a pool thread each, see DatasetPool.withDatasets).
      const blocks = drawn.some((item) => readsThisServer(item.path)) ? await inTurn(datasets, warp) : await Promise.all(datasets.map(warp));
      const kept = blocks.map((b, i) => ({ b, item: drawn[i] })).filter((k) => k.b !== null) as Array<{ b: PixelBlock; item: CatalogItem }>;
      if (kept.length === 0) return empty();
      const centers = operation === 'seamline' ? kept.map((k) => centerInGrid(k.item, grid, collection)) : [];
      return { block: combineBlocks(kept.map((k) => k.b), operation, centers), items: kept.map((k) => k.item) };
    },
  );
}

/** A transparent block: nothing of the collection on the grid. */
function emptyMosaic(grid: RenderGrid, bandCount: number, pixelType: string): RenderedMosaic {
  return { block: takeBlock(grid.width, grid.height, bandCount, pixelType, true), items: [] };
}

/** Views needing more items than this, at the overview's resolution or coarser, draw the overview. */
const OVERVIEW_MIN_ITEMS = 8;

/**
 * The collection overview, when the view should be drawn from it: the rule keeps the default
 * stacking (first, no where/fids/lockRaster) and either the view is at least as coarse as the
 * overview and needs many items, or it is beyond every item's MaxPS (it would be blank).
 */
function overviewFor(request: MosaicRequest, selection: Selection, pixelSize: number, catalog: CatalogStore): CollectionOverview | null {
  const { rule, overviews, collection } = request;
  if (!overviews || rule.operation !== 'first' || rule.where || rule.fids || rule.method === 'lockRaster') return null;
  const hidden = selection.needed === 0 && selection.found > 0;
  if (!hidden && selection.needed <= OVERVIEW_MIN_ITEMS) return null;
  const overview = overviews.find(collection, catalog);
  if (!overview) return null;
  return hidden || pixelSize >= overview.pixelSize ? overview : null;
}

/**
 * True when every pixel of the dataset is data (no nodata, mask or alpha). A sync call on a
 * handle this render holds alone, answered from the band's metadata without I/O.
 */
function isAllValid(dataset: gdal.Dataset): boolean {
  const band = dataset.bands.get(1);
  return band.getMaskFlags() === GMF_ALL_VALID;
}

/**
 * Whether resampled reads (resample-items.ts) draw these items as the warper would: a resampling
 * they handle, every item north-up in the grid's SR with one band count, and no downsampling
 * left once a source level is picked: the grid's pixels are no larger than the item's, or the
 * size of one of its overviews. There the pixels are the warper's, measured sample for sample;
 * between levels the two downsample differently (0.4–0.8 % of the samples more than 2 apart on
 * the bench imagery, 10 % on a sharp sawtooth), so those views keep the warper.
 */
function canResample(items: CatalogItem[], grid: RenderGrid, resampling: Resampling): boolean {
  if (!RESAMPLED_READS.has(resampling)) return false;
  const bandCount = items[0]?.raster.bandCount;
  return items.every(({ raster }) => {
    const gt = raster.geoTransform;
    if (!gt || gt[2] !== 0 || gt[4] !== 0 || raster.bandCount !== bandCount) return false;
    const [rx, ry] = gridResolution(grid);
    if (!isLevelAligned(rx / Math.abs(gt[1]), raster.overviewFactors) || !isLevelAligned(ry / Math.abs(gt[5]), raster.overviewFactors)) return false;
    try {
      return isSameSrs(resolveSrs({ srsWkt: raster.srsWkt, epsg: raster.epsg }), grid.srs);
    } catch {
      return false;
    }
  });
}

/** Every item north-up in the grid's SR, with one band count (what the reads without the warper need). */
function sameGridSrs(items: CatalogItem[], grid: RenderGrid): boolean {
  const bandCount = items[0]?.raster.bandCount;
  return items.every(({ raster }) => {
    const gt = raster.geoTransform;
    if (!gt || gt[2] !== 0 || gt[4] !== 0 || raster.bandCount !== bandCount) return false;
    try {
      return isSameSrs(resolveSrs({ srsWkt: raster.srsWkt, epsg: raster.epsg }), grid.srs);
    } catch {
      return false;
    }
  });
}

/**
 * The whole-pixel window of every dataset when each has a level whose pixels are the grid's and
 * stores the output's pixel type (read-windows.ts), else null (the resampled reads or the warper
 * draw the view). Sync getters on handles this render holds alone, no I/O.
 */
function wholePixelWindows(datasets: gdal.Dataset[], grid: RenderGrid, resampling: Resampling, pixelType: string): Array<LevelWindow | null> | null {
  const type = pixelTypeInfo(pixelType);
  const windows: Array<LevelWindow | null> = [];
  for (const dataset of datasets) {
    if (dataset.bands.get(1).dataType !== type.gdal) return null;
    const found = levelWindow(datasetLevels(dataset), grid, resampling, type.integer);
    if (!found) return null;
    windows.push(found.window);
  }
  return windows;
}

/** A grid pixel `ratio` times the source's is drawn 1:1 from a level, or enlarged. */
function isLevelAligned(ratio: number, overviewFactors: number[]): boolean {
  return ratio <= 1 + LEVEL_TOLERANCE || overviewFactors.some((factor) => Math.abs(ratio / factor - 1) <= LEVEL_TOLERANCE);
}

const LEVEL_TOLERANCE = 1e-3;

function gridResolution(grid: RenderGrid): [number, number] {
  return [(grid.bbox.xmax - grid.bbox.xmin) / grid.width, (grid.bbox.ymax - grid.bbox.ymin) / grid.height];
}

function combineOperation(rule: MosaicRule): CombineOperation {
  return rule.method === 'seamline' && rule.operation === 'first' ? 'seamline' : rule.operation;
}

/**
 * One item on the full grid, warped only over the window its bounding box covers (warping
 * costs per output pixel), then placed into a full-size block. Null when it misses the grid.
 */
async function warpItem(
  dataset: gdal.Dataset,
  item: CatalogItem,
  grid: RenderGrid,
  collection: CollectionRecord,
  options: WarpOptions,
): Promise<PixelBlock | null> {
  const window = itemWindow(item, grid, collection);
  if (!window) return null;
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  const sub: RenderGrid = {
    srs: grid.srs,
    width: window.width,
    height: window.height,
    bbox: { xmin: grid.bbox.xmin + window.col * rx, xmax: grid.bbox.xmin + (window.col + window.width) * rx, ymax: grid.bbox.ymax - window.row * ry, ymin: grid.bbox.ymax - (window.row + window.height) * ry },
  };
  const part = await warpDatasets([dataset], sub, { ...options, interleave: false }); // combined plane by plane
  const full = takeBlock(grid.width, grid.height, part.bands.length, part.pixelType, true);
  for (let row = 0; row < window.height; row++) {
    const from = row * window.width;
    const to = (window.row + row) * grid.width + window.col;
    for (let b = 0; b < part.bands.length; b++) full.bands[b].set(part.bands[b].subarray(from, from + window.width) as never, to);
    full.mask.set(part.mask.subarray(from, from + window.width), to);
  }
  recycleBlock(part);
  return full;
}

/** The grid pixels an item's bounding box covers, padded by two pixels for resampling kernels. */
function itemWindow(item: CatalogItem, grid: RenderGrid, collection: CollectionRecord): { col: number; row: number; width: number; height: number } | null {
  let box: Bounds;
  try {
    box = moveBounds(item.bbox, resolveSrs(collection), grid.srs);
  } catch {
    return { col: 0, row: 0, width: grid.width, height: grid.height };
  }
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  const col0 = Math.max(0, Math.floor((box.xmin - grid.bbox.xmin) / rx) - 2);
  const col1 = Math.min(grid.width, Math.ceil((box.xmax - grid.bbox.xmin) / rx) + 2);
  const row0 = Math.max(0, Math.floor((grid.bbox.ymax - box.ymax) / ry) - 2);
  const row1 = Math.min(grid.height, Math.ceil((grid.bbox.ymax - box.ymin) / ry) + 2);
  if (col1 <= col0 || row1 <= row0) return null;
  return { col: col0, row: row0, width: col1 - col0, height: row1 - row0 };
}

function centerInGrid(item: CatalogItem, grid: RenderGrid, collection: CollectionRecord): [number, number] {
  const cx = Number(item.fields.CenterX ?? (item.bbox.xmin + item.bbox.xmax) / 2);
  const cy = Number(item.fields.CenterY ?? (item.bbox.ymin + item.bbox.ymax) / 2);
  const [x, y] = pointTransformer(resolveSrs(collection), grid.srs)(cx, cy) ?? [cx, cy];
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  return [(x - grid.bbox.xmin) / rx, (grid.bbox.ymax - y) / ry];
}
