import { ApiError } from '../../errors.js';
import type { CatalogItem, CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import type { CollectionOverviews } from './collection-overview.js';
import { DEFAULT_MOSAIC_RULE, type MosaicRule } from './mosaic-rule.js';
import { cropBlock, maskValues, type PixelBlock } from './pixel-block.js';
import { applyRenderingRule, ruleMargin, type RenderingRule } from './raster-functions/rendering-rule.js';
import { expandGrid, groundCellSize, type RenderGrid } from './render-grid.js';
import { RENDER_LIMITS } from './render-limits.js';
import { dataBandCount } from './collection-pixels.js';
import { renderMosaic } from './render-mosaic.js';
import type { RuleRasterResolver } from './rule-rasters.js';
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
  /** Finds the other rasters the rule names (`rasterInputs`); without it such rules are refused. */
  rasters?: RuleRasterResolver;
  /** The pixels go to an image encoder as they are read: 8-bit ones may come pixel-interleaved. */
  interleave?: boolean;
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
    interleave: request.interleave,
  });
  let block = mosaic.block;
  const allStatistics = collection.summary.statistics;
  let statistics = allStatistics;
  if (bandIds) {
    block = { ...block, bands: bandIds.map((id) => block.bands[id]) };
    statistics = allStatistics ? bandIds.map((id) => allStatistics[id]) : null;
  }
  if (request.noData) maskValues(block, request.noData, request.noDataMatchAll ?? false);
  const sources = renderingRule?.rasterInputs ? [block, ...(await renderRuleRasters(catalog, renderingRule.rasterInputs, grid, request))] : undefined;
  if (renderingRule) block = applyRenderingRule(block, renderingRule, { cellSize: groundCellSize(grid), statistics, grid, sources });
  return { block: cropBlock(block, margin), items: mosaic.items, raw: !renderingRule, statistics: renderingRule ? null : statistics };
}

/**
 * The other rasters a rule names, each mosaicked on the same (grown) grid as the service's own
 * pixels with the same resampling: their own default mosaic, or the one catalog item a
 * `…/ImageServer/<rasterId>` URL names. Cells they do not cover are no data.
 */
async function renderRuleRasters(catalog: CatalogStore, values: unknown[], grid: RenderGrid, request: PixelRequest): Promise<PixelBlock[]> {
  const resolve = request.rasters;
  if (!resolve) throw ApiError.invalidParameter("'renderingRule' parameter is invalid: this operation draws only the service's own pixels; other rasters are read by exportImage and GenerateRaster");
  const blocks: PixelBlock[] = [];
  for (const value of values) {
    const { collection, objectId } = await resolve(value);
    const rule: MosaicRule = objectId === undefined ? DEFAULT_MOSAIC_RULE : { ...DEFAULT_MOSAIC_RULE, method: 'lockRaster', lockRasterIds: [objectId] };
    const mosaic = await renderMosaic(catalog, {
      collection,
      grid,
      rule,
      resampling: request.resampling,
      limit: request.limit ?? RENDER_LIMITS.maxMosaicImageCount,
      anyPixelSize: request.anyPixelSize ?? objectId !== undefined,
      signal: request.signal,
    });
    blocks.push(mosaic.block);
  }
  return blocks;
}
