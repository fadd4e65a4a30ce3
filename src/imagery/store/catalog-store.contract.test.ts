import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config.js';
import { esriToWkb } from '../../geometry/wkb.js';
import { openPgCatalogStore } from './pg-catalog-store.js';
import type { CatalogStore, ImageRaster, NewCatalogItem } from './catalog-store.js';
import { openSqliteCatalogStore, type SqliteCatalogStore } from './sqlite-catalog-store.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** One suite, every engine: what imagery relies on must hold for each catalog store. */
const engines: Array<{ name: 'sqlite' | 'postgres'; label: string; open: (dir: string) => { store: CatalogStore; drop: () => Promise<void> } }> = [
  {
    name: 'sqlite',
    label: 'sqlite',
    open: (dir) => ({ store: openSqliteCatalogStore(loadConfig({ dataDir: dir }, {})), drop: async () => undefined }),
  },
  {
    // No collection's items held (raster.catalogCacheItemsPerCollection 0): every area query is SQL's.
    name: 'sqlite',
    label: 'sqlite, no items held',
    open: (dir) => ({ store: openSqliteCatalogStore(loadConfig({ dataDir: dir, raster: { catalogCacheItemsPerCollection: 0 } }, {})), drop: async () => undefined }),
  },
  {
    name: 'postgres',
    label: 'postgres',
    open: (dir) => {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const config: Config = { ...loadConfig({ dataDir: dir }, {}), store: { kind: 'postgres', postgresUrl: POSTGRES_URL, postgresSchema: schema } };
      return {
        store: openPgCatalogStore(config),
        drop: async () => {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
    },
  },
];

const RASTER: ImageRaster = {
  width: 100,
  height: 100,
  bandCount: 3,
  dataType: 'Byte',
  pixelType: 'U8',
  geoTransform: [0, 1, 0, 100, 0, -1],
  srsWkt: 'EPSG:32633',
  epsg: 32633,
  noData: [0, 0, 0],
  overviewFactors: [2],
  blockSize: { width: 512, height: 512 },
  colorInterpretations: ['Red', 'Green', 'Blue'],
  statistics: [
    { min: 0, max: 100, mean: 50, stddev: 10 },
    { min: 0, max: 200, mean: 100, stddev: 10 },
    { min: 0, max: 255, mean: 120, stddev: 10 },
  ],
};

function square(name: string, x0: number, y0: number, size = 100): NewCatalogItem {
  return {
    name,
    footprint: [[[x0, y0], [x0, y0 + size], [x0 + size, y0 + size], [x0 + size, y0], [x0, y0]]],
    lowPs: 1,
    highPs: 4,
    rasterType: 'Raster Dataset',
    source: `/src/${name}.tif`,
    path: `/store/${name}.tif`,
    byValue: true,
    raster: { ...RASTER, statistics: RASTER.statistics!.map((s) => ({ ...s, mean: s.mean + x0 / 100 })) },
    attributes: { Flight: x0 },
  };
}

describe.each(engines)('catalog store on $label', ({ name, open }) => {
  let dir: string;
  let store: CatalogStore;
  let drop: () => Promise<void>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    ({ store, drop } = open(dir));
  });
  afterEach(async () => {
    await store.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });
  /** A condition as the where compiler writes it for this engine. */
  const where = (sql: string, params: unknown[]) => ({ sql: name === 'postgres' ? sql.replace('?', '$1') : sql, params });

  const create = () =>
    store.createCollection(
      {
        id: 'c1',
        name: 'Uav',
        owner: 'admin',
        collectionType: 'UAV/UAS',
        srsWkt: 'EPSG:32633',
        epsg: 32633,
        properties: { rasterTypes: ['Raster Dataset'], extraFields: [{ name: 'Flight', type: 'esriFieldTypeInteger' }] },
        jobId: 'job-a',
      },
      [square('a', 0, 0), square('b', 100, 0)],
    );

  it('creates a collection with a summary kept in step with its rows', async () => {
    expect(await create()).toEqual([1, 2]);
    const collection = await store.getCollection('uav');
    expect(collection?.summary).toMatchObject({
      itemCount: 2,
      extent: { xmin: 0, ymin: 0, xmax: 200, ymax: 100 },
      bandCount: 3,
      pixelType: 'U8',
      minPixelSize: 1,
      maxPixelSize: 4,
      colorInterpretations: ['Red', 'Green', 'Blue'],
    });
    expect(collection?.summary.statistics?.[0]).toMatchObject({ min: 0, max: 100, mean: 50.5 });
    // Two images with stddev 10 and means 1 apart: pooled stddev = sqrt(100 + 0.25).
    expect(collection?.summary.statistics?.[0].stddev).toBeCloseTo(Math.sqrt(100.25), 9);
  });

  it('queries by where, objectIds, geometry and pages, with derived shape fields', async () => {
    await create();
    const all = await store.queryItems('c1', { returnGeometry: true });
    expect(all.map((i) => i.fields)).toEqual([
      expect.objectContaining({ OBJECTID: 1, Name: 'a', CenterX: 50, CenterY: 50, Shape_Area: 10000, Shape_Length: 400, Flight: 0 }),
      expect.objectContaining({ OBJECTID: 2, Name: 'b', CenterX: 150, Flight: 100 }),
    ]);
    expect(all[0].shapeWkb?.length).toBeGreaterThan(0);
    expect((await store.queryItems('c1', { where: where('"Flight" > ?', [50]) })).map((i) => i.name)).toEqual(['b']);
    expect((await store.queryItems('c1', { objectIds: [1] })).map((i) => i.name)).toEqual(['a']);
    // The where compiler lets `Shape` appear only in IS [NOT] NULL; each store must expose it.
    expect(await store.countItems('c1', { where: where('"Shape" IS NOT NULL', []) })).toBe(2);
    expect(await store.countItems('c1', { where: where('"Shape" IS NULL', []) })).toBe(0);
    const point = Buffer.from('0101000000000000000000f03f000000000000f03f', 'hex'); // POINT(1 1)
    const geometry = { wkb: point, bbox: { xmin: 1, ymin: 1, xmax: 1, ymax: 1 }, relation: 'intersects' as const };
    expect((await store.queryItems('c1', { geometry })).map((i) => i.name)).toEqual(['a']);
    expect(await store.countItems('c1', {})).toBe(2);
    const page = await store.queryItems('c1', { orderBy: [{ field: 'Name', descending: true }], offset: 1, limit: 1 });
    expect(page.map((i) => i.name)).toEqual(['a']);
  });

  it('answers the render\'s area queries the same before and after writes (held items on SQLite)', async () => {
    await create();
    const box = (xmin: number, ymin: number, xmax: number, ymax: number) => ({
      wkb: esriToWkb({ rings: [[[xmin, ymin], [xmin, ymax], [xmax, ymax], [xmax, ymin], [xmin, ymin]]] })!,
      bbox: { xmin, ymin, xmax, ymax },
      relation: 'intersects' as const,
    });
    const names = async (xmin: number, ymin: number, xmax: number, ymax: number) =>
      (await store.queryItems('c1', { geometry: box(xmin, ymin, xmax, ymax), returnGeometry: true })).map((i) => i.name);
    expect(await names(50, 50, 150, 60)).toEqual(['a', 'b']);
    expect(await names(100, 0, 120, 10)).toEqual(['a', 'b']); // an edge shared counts as intersecting
    expect(await names(101, 0, 120, 10)).toEqual(['b']);
    expect(await names(300, 300, 400, 400)).toEqual([]);
    const [first] = await store.queryItems('c1', { geometry: box(0, 0, 10, 10), returnGeometry: true });
    expect(first!.shapeWkb?.length).toBeGreaterThan(0);
    await store.addItems('c1', [square('c', 0, 100)], 'job-b');
    expect(await names(50, 50, 150, 150)).toEqual(['a', 'b', 'c']);
    await store.deleteItems('c1', { objectIds: [1] });
    expect(await names(50, 50, 150, 150)).toEqual(['b', 'c']);
  });

  it('keeps acquisition dates as epoch ms and compares them as dates', async () => {
    const when = Date.UTC(2023, 6, 1, 10, 0, 0, 500);
    await create();
    await store.addItems('c1', [{ ...square('d', 0, 200), acquisitionDate: when }], 'job-b');
    const [item] = await store.queryItems('c1', { objectIds: [3] });
    expect(item!.fields.AcquisitionDate).toBe(when);
    const after = name === 'postgres' ? { sql: '"AcquisitionDate" > $1::timestamptz', params: ['2023-01-01T00:00:00Z'] } : { sql: '"AcquisitionDate" > ?', params: [Date.UTC(2023, 0, 1)] };
    expect((await store.queryItems('c1', { where: after })).map((i) => i.name)).toEqual(['d']);
  });

  it('deletes rows and never reuses their OBJECTIDs', async () => {
    await create();
    const removed = await store.deleteItems('c1', { objectIds: [2] });
    expect(removed.map((i) => i.path)).toEqual(['/store/b.tif']);
    expect((await store.getCollection('c1'))?.summary.extent).toEqual({ xmin: 0, ymin: 0, xmax: 100, ymax: 100 });
    expect(await store.addItems('c1', [square('c', 0, 100)], 'job-b')).toEqual([3]);
  });

  it('removes exactly what a job added, and the collection a job created', async () => {
    await create();
    await store.addItems('c1', [square('c', 0, 100)], 'job-b');
    const undone = await store.removeJobWork('job-b');
    expect(undone).toMatchObject({ collections: [], items: [{ name: 'c' }] });
    expect(await store.countItems('c1', {})).toBe(2);
    expect(await store.removeJobWork('job-a')).toMatchObject({ collections: ['c1'] });
    expect(await store.getCollection('c1')).toBeUndefined();
    if ('db' in store) expect((store as SqliteCatalogStore).db.prepare('SELECT count(*) AS n FROM catalog_items_bbox').get()).toEqual({ n: 0 });
  });

  it('registers data stores', async () => {
    await store.registerDataStore({ path: '/fileShares/imagery', name: 'imagery', type: 'folder', localPath: dir, info: {}, created: 1 });
    expect((await store.getDataStore('IMAGERY'))?.localPath).toBe(dir);
    expect(await store.unregisterDataStore('/fileShares/imagery')).toBe(true);
    expect(await store.listDataStores()).toEqual([]);
  });
});
