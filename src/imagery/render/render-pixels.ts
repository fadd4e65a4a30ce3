import { ApiError } from '../../errors.js';
import type { CatalogItem, CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import type { CollectionOverviews } from './collection-overview.js';
import type { MosaicRule } from './mosaic-rule.js';
import { cropBlock, maskValues, type PixelBlock } from './pixel-block.js';
import { applyRenderingRule, ruleMargin, type RenderingRule } from './raster-functions/rendering-rule.js';
import { expandGrid, groundCellSize, type RenderGrid } from './render-grid.js';
import { RENDER_LIMITS } from './render-limits.js';
import { dataBandCount } from './collection-pixels.js';
import { renderMosaic } from './render-mosaic.js';
import type { Resampling } from './warp-items.js';

export interface PixelRequest {
  collection: CollectionRecord;
  grid: RenderGrid;
  mosaicRule: MosaicRule;
  renderingRule: RenderingRule | null;
  resampling: Resampling;
  bandIds?: number[];
  noData?: number[];
  noDataMatchAll?: boolean;
  /** Ignore the items' MinPS/MaxPS. */
  anyPixelSize?: boolean;
  /** Most items mosaicked (default maxMosaicImageCount). */
  limit?: number;
  overviews?: CollectionOverviews;
  /** The request's: aborted when its client has gone. */
  signal?: AbortSignal;
}

export interface RenderedPixels {
  block: PixelBlock;
  items: CatalogItem[];
  /** True when the pixels are the collection's own values (no function, bands as stored). */
  raw: boolean;
  /** The collection's per-band statistics in the block's band order (raw pixels only). */
  statistics: CatalogItem['raster']['statistics'];
}

/**
 * The processed pixels of a request: the mosaic (on a grid grown for neighbourhood functions),
 * `bandIds` picked from it, the client's `noData` values masked, then the rendering rule.
 */
export async function renderPixels(catalog: CatalogStore, request: PixelRequest): Promise<RenderedPixels> {
  const { collection, renderingRule, bandIds } = request;
  const bandCount = dataBandCount(collection);
  if (bandIds?.some((id) => !Number.isInteger(id) || id < 0 || id >= bandCount)) {
    throw ApiError.invalidParameter(`'bandIds' parameter is invalid: the service has ${bandCount} band${bandCount === 1 ? '' : 's'} (0-based ids)`);
  }
  const margin = ruleMargin(renderingRule);
  const grid = expandGrid(request.grid, margin);
  const mosaic = await renderMosaic(catalog, {
    collection,
    grid,
    rule: request.mosaicRule,
    resampling: request.resampling,
    limit: request.limit ?? RENDER_LIMITS.maxMosaicImageCount,
    anyPixelSize: request.anyPixelSize,
    overviews: request.overviews,
    signal: request.signal,
  });
  let block = mosaic.block;
  const allStatistics = collection.summary.statistics;
  let statistics = allStatistics;
  if (bandIds) {
    block = { ...block, bands: bandIds.map((id) => block.bands[id]) };
    statistics = allStatistics ? bandIds.map((id) => allStatistics[id]) : null;
  }
  if (request.noData) maskValues(block, request.noData, request.noDataMatchAll ?? false);
  if (renderingRule) block = applyRenderingRule(block, renderingRule, { cellSize: groundCellSize(grid), statistics });
  return { block: cropBlock(block, margin), items: mosaic.items, raw: !renderingRule, statistics: renderingRule ? null : statistics };
}
