import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import { datasetPool, type DatasetPool } from './dataset-pool.js';
import { DEFAULT_MOSAIC_RULE } from './mosaic-rule.js';
import { orderMosaicItems } from './order-items.js';
import { pixelTypeInfo } from './pixel-block.js';
import { collectionPixelType, dataBandCount } from './collection-pixels.js';
import { mosaicView } from './select-items.js';

/** One level of a collection overview: a plain tiled GeoTIFF. */
export interface OverviewLevel {
  path: string;
  /** In collection units. */
  pixelSize: number;
}

export interface CollectionOverview {
  /** Finest first, each twice as coarse as the one before. */
  levels: OverviewLevel[];
  /** Pixel size of the finest level. */
  pixelSize: number;
}

/**
 * The level to draw a view of `pixelSize` from: the coarsest no coarser than the view (so GDAL
 * never reads through internal overviews, which costs warps twice as much in GDAL 3.6).
 */
export function overviewLevelFor(overview: CollectionOverview, pixelSize: number): OverviewLevel {
  let chosen = overview.levels[0];
  for (const level of overview.levels) if (level.pixelSize <= pixelSize * 1.000001) chosen = level;
  return chosen;
}

/** The overview is this many times coarser than the finest item, at least. */
const FACTOR = 4;
/** …and at most this many pixels on its long side. */
const MAX_SIDE = 16384;
/** Levels stop once smaller than this on the long side. */
const MIN_SIDE = 512;
/** Sources per warp while building (GDAL keeps every source open during one warp). */
const BATCH = 200;
const CREATION = ['TILED=YES', 'BLOCKXSIZE=512', 'BLOCKYSIZE=512', 'COMPRESS=DEFLATE', 'PREDICTOR=2', 'BIGTIFF=IF_SAFER'];

/**
 * A mosaic dataset's overview: the whole collection mosaicked once (service defaults) at a
 * coarse resolution into `<root>/<collectionId>/<modified>/overview-<n>.tif`, tiled GeoTIFFs each
 * twice as coarse as the one before (separate files rather than internal overviews: GDAL 3.6
 * warps through internal overviews at twice the cost). Small-scale views then warp one file
 * instead of dozens of items, and views
 * beyond the items' MaxPS still show something, as ArcGIS overview items do. Built in the
 * background on first need (renders go on without it meanwhile); a catalog change (`modified`)
 * makes a new one.
 *
 * @example const overview = overviews.find(collection, catalog); // null until built
 */
export class CollectionOverviews {
  private readonly ready = new Map<string, CollectionOverview | null>();
  private readonly building = new Set<string>();

  constructor(
    readonly root: string,
    private readonly pool: DatasetPool = datasetPool,
  ) {}

  /** The overview when built; otherwise starts building it (once) and returns null. */
  find(collection: CollectionRecord, catalog: CatalogStore): CollectionOverview | null {
    const key = `${collection.id}:${collection.modified}`;
    if (this.ready.has(key)) return this.ready.get(key)!;
    if (!this.building.has(key)) {
      this.building.add(key);
      void this.build(collection, catalog)
        .then((overview) => {
          for (const old of this.ready.keys()) if (old.startsWith(`${collection.id}:`)) this.ready.delete(old);
          this.ready.set(key, overview);
        })
        .catch(() => this.ready.set(key, null))
        .finally(() => this.building.delete(key));
    }
    return null;
  }

  /** Forgets a built overview whose files went missing; the next `find` builds it again. */
  forget(collection: CollectionRecord): void {
    this.ready.delete(`${collection.id}:${collection.modified}`);
  }

  /** Waits for the overview of the collection's current version (tests, warm-up). */
  async whenBuilt(collection: CollectionRecord, catalog: CatalogStore): Promise<CollectionOverview | null> {
    const key = `${collection.id}:${collection.modified}`;
    while (!this.ready.has(key)) {
      this.find(collection, catalog);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.ready.get(key)!;
  }

  private async build(collection: CollectionRecord, catalog: CatalogStore): Promise<CollectionOverview | null> {
    const { extent, minPixelSize } = collection.summary;
    if (!extent || !minPixelSize) return null;
    const spanX = extent.xmax - extent.xmin;
    const spanY = extent.ymax - extent.ymin;
    const finest = Math.max(minPixelSize * FACTOR, Math.max(spanX, spanY) / MAX_SIDE);
    const dir = path.join(this.root, collection.id.replace(/[^\w-]/g, '_'), String(collection.modified));
    await mkdir(dir, { recursive: true });
    const levels: OverviewLevel[] = [];
    for (let n = 0, pixelSize = finest; n === 0 || Math.max(spanX, spanY) / pixelSize >= MIN_SIDE; n++, pixelSize *= 2) {
      const file = path.join(dir, `overview-${n}.tif`);
      if (!(await stat(file).then(() => true, () => false))) {
        const temporary = `${file}.${process.pid}.tmp.tif`;
        try {
          if (n === 0) await this.warpAll(collection, catalog, temporary, pixelSize);
          else await this.downsample(levels[n - 1].path, temporary, pixelSize);
          await rename(temporary, file);
        } catch (error) {
          await rm(temporary, { force: true });
          throw error;
        }
      }
      levels.push({ path: file, pixelSize });
    }
    return { levels, pixelSize: finest };
  }

  /** The next level: the previous one averaged to twice the pixel size (alpha-aware, by the warper). */
  private async downsample(source: string, file: string, pixelSize: number): Promise<void> {
    const input = await gdal.openAsync(source);
    try {
      const output = await gdal.warpAsync(file, null, [input], ['-of', 'GTiff', '-tr', String(pixelSize), String(pixelSize), '-r', 'average', ...CREATION.flatMap((co) => ['-co', co])]);
      output.close();
    } finally {
      input.close();
    }
  }

  private async warpAll(collection: CollectionRecord, catalog: CatalogStore, file: string, pixelSize: number): Promise<void> {
    const extent = collection.summary.extent!;
    const items = await catalog.queryItems(collection.id, {});
    // Bottom first: each batch paints over the one before, as the top items must end up on top.
    const ordered = orderMosaicItems(items, DEFAULT_MOSAIC_RULE, mosaicView(collection, extent, DEFAULT_MOSAIC_RULE)).reverse();
    const width = Math.max(1, Math.ceil((extent.xmax - extent.xmin) / pixelSize));
    const height = Math.max(1, Math.ceil((extent.ymax - extent.ymin) / pixelSize));
    const bands = dataBandCount(collection);
    const type = pixelTypeInfo(collectionPixelType(collection)).gdal;
    const driver = gdal.drivers.get('GTiff');
    const output = await driver.createAsync(file, width, height, bands + 1, type, CREATION);
    try {
      output.geoTransform = [extent.xmin, pixelSize, 0, extent.ymax, 0, -pixelSize];
      output.srs = gdal.SpatialReference.fromWKT(collection.srsWkt);
      output.bands.get(bands + 1).colorInterpretation = gdal.GCI_AlphaBand;
      for (let start = 0; start < ordered.length; start += BATCH) {
        const batch = ordered.slice(start, start + BATCH);
        await this.pool.withDatasets(
          batch.map((item) => item.path),
          async (datasets) => {
            const open = datasets.filter((d): d is gdal.Dataset => d !== null);
            if (open.length > 0) await gdal.warpAsync(null, output, open, ['-r', 'average', '-dstalpha', '-wo', 'DST_ALPHA_MAX=255', '-wo', 'SKIP_NOSOURCE=YES']);
          },
        );
      }
    } finally {
      output.close();
    }
  }
}
