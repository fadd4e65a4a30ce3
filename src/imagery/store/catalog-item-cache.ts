import gdal from 'gdal-async';
import type { Bounds } from '../../raster/transform-bounds.js';
import type { CatalogItem, CatalogQuery } from './catalog-store.js';

/** How much is held: config.raster's catalogCacheItemsPerCollection and catalogCacheItems. */
export interface CatalogItemCacheLimits {
  /** Collections up to this many items are held whole; larger ones stay with SQL (memory). */
  catalogCacheItemsPerCollection: number;
  /** And at most this many items over all collections held (oldest dropped first). */
  catalogCacheItems: number;
}

interface Entry {
  version: string;
  /** Null: the collection was too large to hold at this version. */
  items: CatalogItem[] | null;
  /** Per item: its footprint, for the exact test. */
  footprints: Array<gdal.Geometry | null>;
}

/**
 * The items of small collections with their footprints, kept per catalog version: a render
 * selects the items under its view (an area and nothing else) for every request, and the SQL
 * (R-tree, SpatiaLite predicate, a JSON row per item) cost ~0.85 ms of the main thread a view.
 * The answer is the SQL's: same items, same order (OBJECTID), same predicate (GEOS intersects,
 * which SpatiaLite's ST_Intersects calls too) after the same envelope test.
 */
export class CatalogItemCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(private readonly limits: CatalogItemCacheLimits) {}

  /** True when this cache answers the query: an area that intersects, the default order, no filter, no page. */
  static answers(query: CatalogQuery): boolean {
    return !!query.geometry && query.geometry.relation === 'intersects' && query.returnGeometry === true &&
      !query.where && !query.objectIds && !query.orderBy?.length && query.offset === undefined && query.limit === undefined;
  }

  /**
   * The items whose footprint intersects the query's area, or undefined when the collection is
   * too large to hold. `load` reads all the collection's items (with footprints), in order.
   */
  query(collectionId: string, version: string, area: { wkb: Buffer; bbox: Bounds }, load: () => CatalogItem[] | undefined): CatalogItem[] | undefined {
    let entry = this.entries.get(collectionId);
    if (!entry || entry.version !== version) {
      this.drop(collectionId);
      entry = this.hold(collectionId, version, load() ?? null);
    }
    if (!entry.items) return undefined;
    const { bbox } = area;
    let shape: gdal.Geometry | undefined;
    const found: CatalogItem[] = [];
    for (let i = 0; i < entry.items.length; i++) {
      // The item's bbox is its footprint's envelope (what the R-tree holds, less float rounding).
      const { bbox: box } = entry.items[i];
      const footprint = entry.footprints[i];
      if (!footprint || box.xmax < bbox.xmin || box.xmin > bbox.xmax || box.ymax < bbox.ymin || box.ymin > bbox.ymax) continue;
      shape ??= gdal.Geometry.fromWKB(area.wkb);
      if (shape.intersects(footprint)) found.push({ ...entry.items[i] });
    }
    return found;
  }

  /** Whether a collection of `count` items may be held. */
  holds(count: number): boolean {
    return count <= this.limits.catalogCacheItemsPerCollection;
  }

  private hold(collectionId: string, version: string, items: CatalogItem[] | null): Entry {
    const footprints = (items ?? []).map((item) => (item.shapeWkb ? gdal.Geometry.fromWKB(item.shapeWkb) : null));
    const entry = { version, items, footprints };
    this.entries.set(collectionId, entry);
    this.held += footprints.length;
    for (const [id, old] of this.entries) {
      if (this.held <= this.limits.catalogCacheItems || old === entry) break;
      this.drop(id);
    }
    return entry;
  }

  private drop(collectionId: string): void {
    const entry = this.entries.get(collectionId);
    if (!entry) return;
    this.held -= entry.footprints.length;
    this.entries.delete(collectionId);
  }
}
