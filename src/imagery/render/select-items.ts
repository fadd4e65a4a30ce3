import gdal from 'gdal-async';
import { compileWhere } from '../../where/index.js';
import type { WhereDialect } from '../../where/where-types.js';
import { esriToWkb } from '../../geometry/wkb.js';
import type { Bounds } from '../../raster/transform-bounds.js';
import { catalogFields } from '../catalog-fields.js';
import type { CatalogItem, CatalogQuery, CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import type { MosaicRule } from './mosaic-rule.js';
import { orderMosaicItems, type MosaicView } from './order-items.js';
import { footprintRectangle, subtractFromAll } from './rectangle-coverage.js';
import { pointTransformer, resolveSrs, type ResolvedSrs } from './srs-cache.js';

export interface SelectRequest {
  collection: CollectionRecord;
  /** The area asked for, in the collection's SR. */
  area: Bounds;
  /** The request's pixel size in collection units, for the items' MinPS/MaxPS; undefined = any. */
  pixelSize?: number;
  rule: MosaicRule;
  /** At most this many items (maxMosaicImageCount). */
  limit: number;
  /** Stop once the items on top cover the area (first/last operations). */
  stopWhenCovered: boolean;
}

/**
 * The catalog items that make up the mosaic over an area, top first: those whose footprint meets
 * the area, allowed by the rule (`where`, `fids`, `lockRasterIds`) and displayed at the pixel size
 * (MinPS ≤ size ≤ MaxPS, MaxPS 0 meaning no limit), ordered by the mosaic method, cut once the
 * area is covered and capped at `limit`. Items keep their footprint WKB (`shapeWkb`).
 */
export async function selectMosaicItems(catalog: CatalogStore, request: SelectRequest, signal?: AbortSignal): Promise<Selection> {
  const { collection, area, rule } = request;
  const query = catalogQueryFor(collection, rule, areaPolygon(area), catalog.dialect);
  const found = await catalog.queryItems(collection.id, query, signal);
  const visible = found.filter((item) => isDisplayedAt(item, request.pixelSize));
  const ordered = orderMosaicItems(visible, rule, mosaicView(collection, area, rule));
  const { items: selected, coversArea } = request.stopWhenCovered ? takeUntilCovered(ordered, area) : { items: ordered, coversArea: false };
  return { items: selected.slice(0, request.limit), needed: selected.length, found: found.length, coversArea: coversArea && selected.length <= request.limit };
}

export interface Selection {
  /** The items to draw, top first. */
  items: CatalogItem[];
  /** How many the view needed before the limit cut them. */
  needed: number;
  /** How many the area and rule allowed, whatever their pixel-size range. */
  found: number;
  /** The items' footprints cover the whole area (first/last only). */
  coversArea: boolean;
}

/** The catalog query of a mosaic rule over an area; exported for identify and getSamples. */
export function catalogQueryFor(collection: CollectionRecord, rule: MosaicRule, area: { wkb: Buffer; bbox: Bounds }, dialect: WhereDialect): CatalogQuery {
  const query: CatalogQuery = { geometry: { ...area, relation: 'intersects' }, returnGeometry: true };
  if (rule.where) {
    const compiled = compileWhere(rule.where, { fields: catalogFields(collection.properties.extraFields), dialect });
    if (compiled.sql !== '1=1') query.where = { sql: compiled.sql, params: compiled.params };
  }
  let ids = rule.fids;
  if (rule.method === 'lockRaster') ids = ids ? ids.filter((id) => rule.lockRasterIds!.includes(id)) : rule.lockRasterIds;
  if (ids) query.objectIds = ids;
  return query;
}

export function areaPolygon(area: Bounds): { wkb: Buffer; bbox: Bounds } {
  const { xmin, ymin, xmax, ymax } = area;
  const wkb = esriToWkb({ rings: [[[xmin, ymin], [xmin, ymax], [xmax, ymax], [xmax, ymin], [xmin, ymin]]] })!;
  return { wkb, bbox: area };
}

function isDisplayedAt(item: CatalogItem, pixelSize: number | undefined): boolean {
  if (pixelSize === undefined) return true;
  const min = Number(item.fields.MinPS ?? 0);
  const max = Number(item.fields.MaxPS ?? 0);
  return pixelSize >= min && (max <= 0 || pixelSize <= max);
}

/** Centre of the area, north-west corner of the collection, and the viewpoint, in the collection's SR. */
export function mosaicView(collection: CollectionRecord, area: Bounds, rule: MosaicRule): MosaicView {
  const extent = collection.summary.extent ?? area;
  const view: MosaicView = { center: [(area.xmin + area.xmax) / 2, (area.ymin + area.ymax) / 2], northwest: [extent.xmin, extent.ymax] };
  if (rule.viewpoint) {
    const { x, y, spatialReference } = rule.viewpoint;
    const collectionSrs = resolveSrs(collection);
    const from: ResolvedSrs = spatialReference ? resolveSrs(spatialReference as never, 'mosaicRule') : collectionSrs;
    view.viewpoint = pointTransformer(from, collectionSrs)(x, y) ?? undefined;
  }
  return view;
}

/**
 * Items from the top down until their footprints together cover the part of the area that the
 * candidates' bounding boxes reach (a cheap stand-in for the area's data region: views wider
 * than the data would otherwise never count as covered). `coversArea` tells whether they cover
 * the whole area, so that every pixel of the view has data.
 */
function takeUntilCovered(items: CatalogItem[], area: Bounds): { items: CatalogItem[]; coversArea: boolean } {
  if (items.length === 0) return { items, coversArea: false };
  const reach = items.reduce((b, item) => ({
    xmin: Math.min(b.xmin, item.bbox.xmin),
    ymin: Math.min(b.ymin, item.bbox.ymin),
    xmax: Math.max(b.xmax, item.bbox.xmax),
    ymax: Math.max(b.ymax, item.bbox.ymax),
  }), { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity });
  const box = { xmin: Math.max(area.xmin, reach.xmin), ymin: Math.max(area.ymin, reach.ymin), xmax: Math.min(area.xmax, reach.xmax), ymax: Math.min(area.ymax, reach.ymax) };
  if (box.xmin >= box.xmax || box.ymin >= box.ymax) return { items, coversArea: false };
  return takeUntilCoveredByBoxes(items, area, box) ?? takeUntilCoveredByUnion(items, area, box);
}

/**
 * The same for footprints that are all axis-aligned rectangles, by subtracting boxes: exact, and
 * a fraction of the cost of growing a GEOS union. Undefined when a footprint is another shape.
 */
function takeUntilCoveredByBoxes(items: CatalogItem[], area: Bounds, box: Bounds): { items: CatalogItem[]; coversArea: boolean } | undefined {
  const rectangles = items.map((item) => (item.shapeWkb ? footprintRectangle(item.shapeWkb) : null));
  if (rectangles.some((r, i) => r === null && items[i]!.shapeWkb)) return undefined;
  let open = [box];
  let whole = [area];
  for (let i = 0; i < items.length; i++) {
    const rectangle = rectangles[i];
    if (!rectangle) continue;
    open = subtractFromAll(open, rectangle);
    whole = subtractFromAll(whole, rectangle);
    if (open.length === 0) return { items: items.slice(0, i + 1), coversArea: whole.length === 0 };
  }
  return { items, coversArea: false };
}

function takeUntilCoveredByUnion(items: CatalogItem[], area: Bounds, box: Bounds): { items: CatalogItem[]; coversArea: boolean } {
  const target = gdal.Geometry.fromWKB(areaPolygon(box).wkb);
  let union: gdal.Geometry | null = null;
  const out: CatalogItem[] = [];
  for (const item of items) {
    out.push(item);
    if (!item.shapeWkb) continue;
    const footprint = gdal.Geometry.fromWKB(item.shapeWkb);
    union = union ? union.union(footprint) : footprint;
    if (union.contains(target)) {
      return { items: out, coversArea: union.contains(gdal.Geometry.fromWKB(areaPolygon(area).wkb)) };
    }
  }
  return { items: out, coversArea: false };
}
