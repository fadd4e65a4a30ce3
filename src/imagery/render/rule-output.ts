import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import { summarizeBlock, type BandHistogram, type BandSummary } from './block-statistics.js';
import { DEFAULT_MOSAIC_RULE } from './mosaic-rule.js';
import type { RenderingRule } from './raster-functions/rendering-rule.js';
import { squarePixels } from './render-grid.js';
import { renderPixels } from './render-pixels.js';
import type { RuleRasterResolver } from './rule-rasters.js';
import { resolveSrs } from './srs-cache.js';

/** What a rendering rule makes of a collection: its bands, pixel type, statistics and histograms. */
export interface RuleOutput {
  bandCount: number;
  pixelType: string;
  statistics: BandSummary[];
  histograms: BandHistogram[];
}

// A coarse look is enough to describe the output; kept per catalog version and rule.
const SAMPLE_SIZE = 256;
const MAX_CACHED = 64;
const cache = new Map<string, Promise<RuleOutput>>();

/**
 * The output of `renderingRule` over the whole collection, for the resources clients read with a
 * rule (`ImageServer?renderingRule=…`, `statistics`, `histograms`): the ArcGIS Maps SDK asks them
 * after switching rules and stretches the rule's output by them, so they must describe the output
 * (a Hillshade is U8 0…255, an NDVI one F32 band in −1…1), not the source.
 *
 * @example (await ruleOutput(catalog, collection, parseRenderingRule({ rasterFunction: 'NDVI' }))).pixelType // 'F32'
 */
export function ruleOutput(catalog: CatalogStore, collection: CollectionRecord, rule: RenderingRule, rasters?: RuleRasterResolver): Promise<RuleOutput> {
  // Rules reading other rasters depend on what the caller may see: never cached.
  if (rule.rasterInputs) return computeRuleOutput(catalog, collection, rule, rasters);
  const key = `${collection.id}:${collection.modified}:${JSON.stringify(rule)}`;
  let found = cache.get(key);
  if (!found) {
    found = computeRuleOutput(catalog, collection, rule);
    found.catch(() => cache.delete(key));
    cache.set(key, found);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  return found;
}

async function computeRuleOutput(catalog: CatalogStore, collection: CollectionRecord, rule: RenderingRule, rasters?: RuleRasterResolver): Promise<RuleOutput> {
  const extent = collection.summary.extent ?? { xmin: 0, ymin: 0, xmax: 1, ymax: 1 };
  const spanX = extent.xmax - extent.xmin;
  const spanY = extent.ymax - extent.ymin;
  const cell = Math.max(spanX, spanY) / SAMPLE_SIZE || 1;
  const width = Math.max(1, Math.round(spanX / cell));
  const height = Math.max(1, Math.round(spanY / cell));
  const grid = { bbox: squarePixels(extent, width, height), width, height, srs: resolveSrs(collection) };
  const { block } = await renderPixels(catalog, { collection, grid, mosaicRule: DEFAULT_MOSAIC_RULE, renderingRule: rule, resampling: 'near', anyPixelSize: true, rasters });
  const { statistics, histograms } = summarizeBlock(block, 1);
  return { bandCount: block.bands.length, pixelType: block.pixelType, statistics, histograms };
}

/** The keys of the service JSON a rule changes. */
export function ruleServiceInfo(output: RuleOutput): Record<string, unknown> {
  return {
    bandCount: output.bandCount,
    bandNames: Array.from({ length: output.bandCount }, (_, i) => `Band_${i + 1}`),
    pixelType: output.pixelType,
    minValues: output.statistics.map((s) => s.min),
    maxValues: output.statistics.map((s) => s.max),
    meanValues: output.statistics.map((s) => s.mean),
    stdvValues: output.statistics.map((s) => s.standardDeviation),
  };
}
