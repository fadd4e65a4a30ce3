import { esriToWkb, wkbToEsri } from '../../geometry/wkb.js';
import type { CatalogItem, CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import type { MosaicRule } from './mosaic-rule.js';
import { orderMosaicItems } from './order-items.js';
import type { RenderingRule } from './raster-functions/rendering-rule.js';
import { renderPixels } from './render-pixels.js';
import type { RuleRasterResolver } from './rule-rasters.js';
import { sampleItems } from './sample-items.js';
import { catalogQueryFor, mosaicView } from './select-items.js';
import { resolveSrs, type ResolvedSrs } from './srs-cache.js';
import { rangeOf } from '../../geometry/bounds-of.js';

export interface PointQuery {
  /** The point in the collection's SR. */
  x: number;
  y: number;
  rule: MosaicRule;
}

export interface PointItems {
  /** Items under the point, top first, with their values there (null: no data). */
  items: CatalogItem[];
  values: Array<number[] | null>;
  /** Index in `items` of the item(s) whose values make the mosaic's. */
  visible: Set<number>;
  /** The mosaic's value at the point, or null. */
  mosaic: number[] | null;
}

/**
 * What the mosaic holds at a point: the items whose footprint contains it (filtered and ordered
 * by the mosaic rule), each item's full-resolution value there, and the mosaic's value under the
 * rule's operation (first/last: the top/bottom item with data; min/max/mean/sum: over them).
 */
export async function itemsAtPoint(catalog: CatalogStore, collection: CollectionRecord, query: PointQuery, signal?: AbortSignal): Promise<PointItems> {
  const { x, y, rule } = query;
  const bbox = { xmin: x, ymin: y, xmax: x, ymax: y };
  const found = await catalog.queryItems(collection.id, catalogQueryFor(collection, rule, { wkb: esriToWkb({ x, y })!, bbox }, catalog.dialect), signal);
  const items = orderMosaicItems(found, rule, mosaicView(collection, bbox, rule));
  const values = (await sampleItems(items, [[x, y]], collection, signal)).map((perPoint) => perPoint[0]);
  const withData = values.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
  const visible = new Set<number>();
  let mosaic: number[] | null = null;
  if (withData.length > 0) {
    if (rule.operation === 'first' || rule.operation === 'last') {
      const pick = rule.operation === 'first' ? withData[0] : withData[withData.length - 1];
      visible.add(pick);
      mosaic = values[pick];
    } else {
      withData.forEach((i) => visible.add(i));
      mosaic = reduceValues(withData.map((i) => values[i]!), rule.operation);
    }
  }
  return { items, values, visible, mosaic };
}

function reduceValues(lists: number[][], operation: MosaicRule['operation']): number[] {
  return lists[0].map((_, b) => {
    const column = lists.map((l) => l[b]);
    if (operation === 'min') return rangeOf(column)[0];
    if (operation === 'max') return rangeOf(column)[1];
    const sum = column.reduce((s, v) => s + v, 0);
    return operation === 'sum' ? sum : sum / column.length;
  });
}

/** Band values as ArcGIS writes them: space separated, or `NoData`. */
export function formatValue(values: ArrayLike<number> | null): string {
  if (!values) return 'NoData';
  return Array.from(values, (v) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10))))).join(' ');
}

export interface IdentifyOptions {
  renderingRule: RenderingRule | null;
  /** Finds the other rasters the rule names. */
  rasters?: RuleRasterResolver;
  returnGeometry: boolean;
  returnCatalogItems: boolean;
  returnPixelValues: boolean;
  maxItemCount?: number;
  /** SR of the answer's location (the point's own). */
  outSrs: ResolvedSrs;
  /** The point as the client gave it (echoed in `location`). */
  location: { x: number; y: number };
}

/**
 * The identify answer (ArcGIS Identify (Image Service)): the mosaic's value at the point, processed by the
 * rendering rule when there is one (rendered on a one-pixel grid at the top item's resolution,
 * grown as the rule needs), and the catalog items there with their own values.
 */
export async function identify(catalog: CatalogStore, collection: CollectionRecord, query: PointQuery, options: IdentifyOptions, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const at = await itemsAtPoint(catalog, collection, query, signal);
  let value = at.mosaic;
  if (options.renderingRule && at.items.length > 0) value = await processedValue(catalog, collection, query, at.items[0], options.renderingRule, signal, options.rasters);
  const limit = options.maxItemCount ?? at.items.length;
  const listed = at.items.slice(0, limit);
  const collectionSrs = resolveSrs(collection);
  return {
    objectId: 0,
    name: 'Pixel',
    value: options.returnPixelValues ? formatValue(value) : '',
    location: { ...options.location, spatialReference: options.outSrs.json },
    properties: options.returnCatalogItems ? { Values: listed.map((_, i) => formatValue(at.values[i])) } : null,
    catalogItems: options.returnCatalogItems
      ? {
          objectIdFieldName: 'OBJECTID',
          geometryType: 'esriGeometryPolygon',
          spatialReference: collectionSrs.json,
          features: listed.map((item) => ({
            attributes: item.fields,
            ...(options.returnGeometry && item.shapeWkb ? { geometry: wkbToEsri(item.shapeWkb, 'esriGeometryPolygon') } : {}),
          })),
        }
      : null,
    catalogItemVisibilities: options.returnCatalogItems ? listed.map((_, i) => (at.visible.has(i) ? 1 : 0)) : [],
  };
}

async function processedValue(catalog: CatalogStore, collection: CollectionRecord, query: PointQuery, top: CatalogItem, renderingRule: RenderingRule, signal?: AbortSignal, rasters?: RuleRasterResolver): Promise<number[] | null> {
  const size = Number(top.fields.LowPS) || 1;
  const grid = {
    bbox: { xmin: query.x - size / 2, xmax: query.x + size / 2, ymin: query.y - size / 2, ymax: query.y + size / 2 },
    width: 1,
    height: 1,
    srs: resolveSrs(collection),
  };
  const { block } = await renderPixels(catalog, { collection, grid, mosaicRule: query.rule, renderingRule, resampling: 'near', anyPixelSize: true, signal, rasters });
  return block.mask[0] === 0 ? null : block.bands.map((band) => band[0]);
}
