import type { RenderingRule } from './render/raster-functions/rendering-rule.js';
import { ruleOutput } from './render/rule-output.js';
import type { RuleRasterResolver } from './render/rule-rasters.js';
import type { CatalogStore, CollectionRecord } from './store/catalog-store.js';

// Functions whose output is meant for display as is (U8 grey or colours), not for analysis.
const DISPLAY_FUNCTIONS = new Set(['Hillshade', 'Stretch', 'Colormap']);
// Functions that give one output band per input band, in the same order.
const BAND_PRESERVING = new Set(['Stretch', 'Arithmetic', 'Plus', 'Minus', 'Times', 'Divide']);

/**
 * `ImageServer/keyProperties`: the collection's key metadata (ArcGIS Image Service resource), and
 * with `renderingRule` the metadata of the rule's output, as ArcGIS's function raster datasets
 * report it — the ArcGIS Maps SDK reads it again after a rule switch and picks its resampling and
 * renderer by `DataType`:
 * - `DataType`: Thematic after Remap/Reclassify (classes), Processed after a display function
 *   (Hillshade, Stretch, Colormap) that gives U8, else Generic;
 * - `BandProperties` (band names, when the raster type knew them) follow the bands: kept through
 *   per-band functions, picked by ExtractBand, dropped when the rule makes other bands.
 *
 * @example (await collectionKeyProperties(catalog, collection, parseRenderingRule({ rasterFunction: 'Hillshade' }))).DataType // 'Processed'
 */
export async function collectionKeyProperties(catalog: CatalogStore, collection: CollectionRecord, rule: RenderingRule | null, signal?: AbortSignal, rasters?: RuleRasterResolver): Promise<Record<string, unknown>> {
  const s = collection.summary;
  const [first] = await catalog.queryItems(collection.id, { limit: 1, returnGeometry: false }, signal);
  const bandNames = first?.raster.bandNames;
  const base: Record<string, unknown> = {
    DataType: collection.collectionType === 'Satellite' ? 'Processed' : 'Generic',
    LowCellSize: s.minPixelSize,
    HighCellSize: s.maxPixelSize,
    ImageCollectionType: collection.collectionType,
    ...(bandNames?.length ? { BandProperties: bandNames.map((name) => ({ BandName: name })) } : {}),
  };
  if (!rule) return base;
  const output = await ruleOutput(catalog, collection, rule, rasters);
  const { BandProperties: _, ...rest } = base;
  const bands = bandsAfter(rule, base.BandProperties as unknown[] | undefined);
  return {
    ...rest,
    DataType: dataTypeAfter(rule, output.pixelType),
    ...(bands && bands.length === output.bandCount ? { BandProperties: bands } : {}),
  };
}

function dataTypeAfter(rule: RenderingRule, pixelType: string): string {
  if (rule.name === 'Remap' || rule.name === 'Reclassify') return 'Thematic';
  if (DISPLAY_FUNCTIONS.has(rule.name) && pixelType === 'U8') return 'Processed';
  return 'Generic';
}

/** The band properties of the rule's output, innermost function first; undefined when unknown. */
function bandsAfter(rule: RenderingRule, source: unknown[] | undefined): unknown[] | undefined {
  const input = rule.input ? bandsAfter(rule.input, source) : source;
  if (!input) return undefined;
  if (rule.name === 'ExtractBand') {
    const ids = Array.isArray(rule.args.BandIDs) ? (rule.args.BandIDs as unknown[]).map(Number) : [];
    return ids.every((id) => input[id] !== undefined) ? ids.map((id) => input[id]) : undefined;
  }
  return BAND_PRESERVING.has(rule.name) ? input : undefined;
}
