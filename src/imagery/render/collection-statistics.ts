import type { EsriGeometry, Position } from '../../geometry/esri-geometry.js';
import { envelopeOf } from '../../geometry/envelope.js';
import { isInsideRings } from '../../geometry/rings.js';
import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import { summarizeBlock, type BandHistogram, type BandSummary } from './block-statistics.js';
import type { CollectionOverviews } from './collection-overview.js';
import { DEFAULT_MOSAIC_RULE, type MosaicRule } from './mosaic-rule.js';
import type { RenderingRule } from './raster-functions/rendering-rule.js';
import { squarePixels } from './render-grid.js';
import { RENDER_LIMITS } from './render-limits.js';
import { renderPixels } from './render-pixels.js';
import { resolveSrs } from './srs-cache.js';

/** Longest side of the grid statistics are computed on: enough for stable figures, cheap to warp. */
const STATISTICS_SIZE = 1024;

export interface Summary {
  statistics: BandSummary[];
  histograms: BandHistogram[];
}

const cache = new Map<string, Promise<Summary | null>>();

/**
 * Statistics and histograms of a collection's pixels, computed once per catalog version (the
 * collection's `modified`) from its mosaic on a grid of at most 1024 pixels a side, and kept in
 * memory. Collections of more items than one mosaic draws are read from their overview (waited
 * for). Min, max, mean and standard deviation come from the catalog's ingest-time figures when it
 * has them (read from the items' overviews), the rest from the sample.
 */
export async function collectionSummary(catalog: CatalogStore, collection: CollectionRecord, overviews?: CollectionOverviews): Promise<Summary | null> {
  const key = `${collection.id}:${collection.modified}`;
  let entry = cache.get(key);
  if (!entry) {
    for (const old of cache.keys()) if (old.startsWith(`${collection.id}:`)) cache.delete(old);
    entry = computeCollectionSummary(catalog, collection, overviews).catch((error) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, entry);
  }
  return entry;
}

async function computeCollectionSummary(catalog: CatalogStore, collection: CollectionRecord, overviews?: CollectionOverviews): Promise<Summary | null> {
  const extent = collection.summary.extent;
  if (!extent) return null;
  const box = { xmin: extent.xmin, ymin: extent.ymin, xmax: extent.xmax, ymax: extent.ymax };
  const many = collection.summary.itemCount > RENDER_LIMITS.maxMosaicImageCount;
  const overview = many && overviews ? await overviews.whenBuilt(collection, catalog) : null;
  const computed = await summarizeArea(catalog, collection, box, {
    rule: DEFAULT_MOSAIC_RULE,
    renderingRule: null,
    ...(overview ? { overviews, pixelSize: Math.max(overview.pixelSize, Math.max(box.xmax - box.xmin, box.ymax - box.ymin) / STATISTICS_SIZE) } : {}),
  });
  const ingest = collection.summary.statistics;
  if (ingest) {
    computed.statistics = computed.statistics.map((s, b) =>
      ingest[b] ? { ...s, min: ingest[b].min, max: ingest[b].max, mean: ingest[b].mean, standardDeviation: ingest[b].stddev } : s,
    );
  }
  return computed;
}

export interface AreaOptions {
  rule: MosaicRule;
  renderingRule: RenderingRule | null;
  /** Pixel size to read at, in collection units (capped so the grid stays ≤ 1024 a side). */
  pixelSize?: number;
  /** Polygon rings (collection SR) the figures are limited to; the whole box when absent. */
  rings?: Position[][];
  /** Draw from the collection overview where a mosaic would (collection-wide figures). */
  overviews?: CollectionOverviews;
  /** The request's: aborted when its client has gone. */
  signal?: AbortSignal;
}

/** Statistics and histograms of the processed mosaic over an area of the collection (computeStatisticsHistograms). */
export async function summarizeArea(catalog: CatalogStore, collection: CollectionRecord, box: { xmin: number; ymin: number; xmax: number; ymax: number }, options: AreaOptions): Promise<Summary> {
  const spanX = box.xmax - box.xmin;
  const spanY = box.ymax - box.ymin;
  // The native pixel size unless asked otherwise, coarsened to keep the grid small.
  const wanted = options.pixelSize ?? collection.summary.pixelSizeX ?? 0;
  const cell = Math.max(wanted, Math.max(spanX, spanY) / STATISTICS_SIZE, Number.MIN_VALUE);
  const width = Math.max(1, Math.round(spanX / cell));
  const height = Math.max(1, Math.round(spanY / cell));
  const grid = { bbox: squarePixels(box, width, height), width, height, srs: resolveSrs(collection) };
  const { block } = await renderPixels(catalog, {
    collection,
    grid,
    mosaicRule: options.rule,
    renderingRule: options.renderingRule,
    resampling: 'near',
    anyPixelSize: !options.overviews,
    overviews: options.overviews,
    signal: options.signal,
  });
  if (options.rings) clipToRings(block.mask, grid, options.rings);
  const nativeSize = collection.summary.pixelSizeX ?? cell;
  return summarizeBlock(block, Math.max(1, Math.round(cell / nativeSize)));
}

/** The envelope of an area geometry (envelope or polygon) with its rings, for summarizeArea. */
export function areaOf(geometry: EsriGeometry): { box: { xmin: number; ymin: number; xmax: number; ymax: number }; rings?: Position[][] } | null {
  const box = envelopeOf(geometry);
  if (!box || box.xmin >= box.xmax || box.ymin >= box.ymax) return null;
  return { box: { xmin: box.xmin, ymin: box.ymin, xmax: box.xmax, ymax: box.ymax }, rings: 'rings' in geometry ? geometry.rings : undefined };
}

function clipToRings(mask: Uint8Array, grid: { bbox: { xmin: number; ymax: number; xmax: number; ymin: number }; width: number; height: number }, rings: Position[][]): void {
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  for (let row = 0; row < grid.height; row++) {
    const y = grid.bbox.ymax - (row + 0.5) * ry;
    for (let col = 0; col < grid.width; col++) {
      const i = row * grid.width + col;
      if (mask[i] === 0) continue;
      const x = grid.bbox.xmin + (col + 0.5) * rx;
      if (!isInsideRings(x, y, rings)) mask[i] = 0;
    }
  }
}
