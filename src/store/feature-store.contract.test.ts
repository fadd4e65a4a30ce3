import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { esriToWkb } from '../geometry/wkb.js';
import type { FeatureStore, FeatureWrite, LayerSchema } from './feature-store.js';
import { openDatabase } from './sqlite/database.js';
import { inFlight } from '../in-flight.js';
import { SqliteFeatureStore } from './sqlite/sqlite-feature-store.js';
import { openPostgres, runPostgresMigrations } from './postgres/database.js';
import { PgFeatureStore } from './postgres/pg-feature-store.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Engine {
  store: FeatureStore;
  /** Writes to the dataset's layer 0 behind the store's back (another connection or process). */
  writeBehind(sql: string): Promise<void>;
  /** A second store on the same data, as another node or process holds it. */
  other(): Promise<FeatureStore>;
  drop(): Promise<void>;
}

/** One suite, every engine: what the features capability relies on must hold for each store. */
const engines: Array<{ name: 'sqlite' | 'sqlite, read threads' | 'sqlite, spilled reads' | 'postgres'; open: () => Promise<Engine> }> = [
  { name: 'sqlite', open: () => openSqlite(0) },
  // Other requests in flight: pages and counts go to a free reader thread (features.spillReads).
  { name: 'sqlite, spilled reads', open: () => openSqlite(0, true) },
  // Pages and counts on read threads with their own connections must see what the store wrote.
  { name: 'sqlite, read threads', open: () => openSqlite(2) },
  {
    name: 'postgres',
    open: async () => {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const pool = await openPostgres(POSTGRES_URL, schema);
      await runPostgresMigrations(pool, schema, ['features']);
      const pools: pg.Pool[] = [pool];
      return {
        store: new PgFeatureStore(pool),
        writeBehind: async (sql) => {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`SET search_path TO ${schema}, public`);
          await client.query(sql.replace('{table}', 'fd_ds_0'));
          await client.end();
        },
        other: async () => {
          const other = await openPostgres(POSTGRES_URL, schema);
          pools.push(other);
          return new PgFeatureStore(other);
        },
        drop: async () => {
          await pool.query(`DROP SCHEMA ${schema} CASCADE`);
          for (const p of pools) await p.end();
        },
      };
    },
  },
];

const SCHEMA: LayerSchema = {
  id: 0,
  objectIdColumn: 'OBJECTID',
  globalIdColumn: 'GlobalID',
  columns: [
    { name: 'NAME', type: 'text' },
    { name: 'POP', type: 'integer' },
    { name: 'GlobalID', type: 'text' },
    { name: 'SEEN', type: 'integer', temporal: 'date' },
    { name: 'DAY', type: 'text', temporal: 'dateOnly' },
  ],
  geometry: { kind: 'point', srid: 4326, hasZ: false, hasM: false },
  indexes: [{ name: 'pop', columns: ['POP'], unique: false }],
};
const OPTIONS = { rollbackOnFailure: false, useGlobalIds: false };

const point = (x: number, y: number, srid = 4326) => ({ wkb: esriToWkb({ x, y })!, srid });
const add = (name: string, x: number, y: number, globalId = `{${name}}`): FeatureWrite => ({ values: { NAME: name, POP: x * 10, GlobalID: globalId }, geometry: point(x, y) });

describe.each(engines)('feature store on $name', ({ name, open }) => {
  /** A condition as the where compiler writes it for this engine: `?` or `$n` placeholders. */
  const where = (sql: string, params: unknown[]) => {
    let n = 0;
    return { sql: name === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql, params };
  };
  let engine: Engine;
  let store: FeatureStore;

  beforeEach(async () => {
    engine = await open();
    store = engine.store;
    await store.createDataset('ds');
    await store.createLayer('ds', SCHEMA);
    await store.applyEdits('ds', [{ layer: SCHEMA, adds: [add('a', 1, 1), add('b', 2, 2), add('c', 3, 3)] }], OPTIONS);
  });
  afterEach(async () => engine.drop());

  it('answers with the dialect its where clauses must be compiled for', () => {
    expect(store.dialect).toBe(name === 'postgres' ? 'postgres' : 'sqlite');
  });

  it('reads pages in object id order, points as x/y or WKB', async () => {
    const xy = await store.queryFeatures('ds', SCHEMA, { columns: ['OBJECTID', 'NAME'], geometry: { pointsAsXY: true }, offset: 1, limit: 1 });
    expect(xy).toEqual({ rows: [[2, 'b', 2, 2]], geometryFormat: 'xy' });
    const wkb = await store.queryFeatures('ds', SCHEMA, { columns: ['NAME'], geometry: { srid: 3857 }, limit: 1 });
    expect(wkb.geometryFormat).toBe('wkb');
    expect(Buffer.isBuffer(wkb.rows[0]![1])).toBe(true);
  });

  it('keeps dates as epoch ms and date-only values as ISO text, and compares them', async () => {
    const seen = Date.UTC(2024, 4, 6, 12, 30, 15, 250);
    await store.applyEdits('ds', [{ layer: SCHEMA, updates: [{ key: 2, values: { SEEN: seen, DAY: '2024-05-06' } }] }], OPTIONS);
    const { rows } = await store.queryFeatures('ds', SCHEMA, { columns: ['OBJECTID', 'SEEN', 'DAY'], where: where('"SEEN" IS NOT NULL', []) });
    expect(rows).toEqual([[2, seen, '2024-05-06']]);
    const stats = await store.queryStatistics('ds', SCHEMA, { statistics: [{ type: 'max', column: 'SEEN', alias: 'M' }], groupBy: [] });
    expect(stats.rows).toEqual([[seen]]);
  });

  it('renders rows as JSON objects in the order and with the values queryFeatures reads', async () => {
    await store.applyEdits('ds', [{ layer: SCHEMA, adds: [{ values: { NAME: 'quote " and \\ ünï', POP: null, GlobalID: '{q}' }, geometry: null }] }], OPTIONS);
    const shape = { attributesKey: 'attributes', attributeKeys: ['OBJECTID', 'NAME', 'POP'], geometryKey: 'geometry' };
    const query = { columns: ['OBJECTID', 'NAME', 'POP'], orderBy: [{ column: 'POP', descending: true }], limit: 10 };
    for (const geometry of [undefined, { pointsAsXY: true }, { srid: 3857 }]) {
      const page = await store.queryFeatureJson!('ds', SCHEMA, { ...query, ...(geometry ? { geometry } : {}) }, shape);
      const objects = JSON.parse(`[${page!.json}]`) as Array<{ attributes: Record<string, unknown>; geometry?: { x: number; y: number } | null }>;
      expect(page).toMatchObject({ count: 4, more: false });
      const { rows } = await store.queryFeatures('ds', SCHEMA, { ...query, geometry: { ...geometry, pointsAsXY: true, srid: geometry?.srid ?? 4326 } });
      const expected = rows.map((row) => ({
        attributes: { OBJECTID: row[0], NAME: row[1], POP: row[2] },
        ...(geometry ? { geometry: row[3] === null ? null : { x: row[3], y: row[4] } } : {}),
      }));
      if (geometry?.srid === 3857) {
        const projected = objects.map((object) => object.geometry);
        expect(projected[0]?.x).toBeCloseTo(333958.47, 1);
        expect(projected.at(-1)).toBeNull();
        continue;
      }
      expect(objects).toEqual(expected);
    }
    // A page of 2: the rest is flagged, the page keeps its first two objects, whatever the strings hold.
    const tricky = ',{"attributes":{"NAME":1}},{"attributes":';
    await store.applyEdits('ds', [{ layer: SCHEMA, adds: [{ values: { NAME: tricky, POP: 25, GlobalID: '{t}' }, geometry: point(0, 0) }] }], OPTIONS);
    for (const limit of [2, 3]) {
      const page = await store.queryFeatureJson!('ds', SCHEMA, { ...query, limit, geometry: { pointsAsXY: true } }, shape);
      expect(page).toMatchObject({ count: limit, more: true });
      expect((JSON.parse(`[${page!.json}]`) as Array<{ attributes: { NAME: unknown } }>).map((o) => o.attributes.NAME)).toEqual(['c', tricky, 'b'].slice(0, limit));
    }
    expect(await store.queryFeatureJson!('ds', SCHEMA, { ...query, limit: 0 }, shape)).toEqual({ json: Buffer.alloc(0), count: 0, more: true });
    expect(await store.queryFeatureJson!('ds', SCHEMA, { ...query, where: where('1 = 0', []) }, shape)).toEqual({ json: Buffer.alloc(0), count: 0, more: false });
    const rounded = await store.queryFeatureJson!('ds', SCHEMA, { columns: [], geometry: { srid: 3857 }, limit: 1 }, { ...shape, attributeKeys: [], precision: 1 });
    expect((JSON.parse(rounded!.json.toString()) as { geometry: unknown }).geometry).toEqual({ x: 111319.5, y: 111325.1 });
    // Member names past PostgreSQL's 63-byte identifiers come out whole, as text alike.
    const long = `Ä${'n'.repeat(70)}`;
    const named = await store.queryFeatureJson!('ds', SCHEMA, { columns: ['OBJECTID', 'NAME'], limit: 1 }, { ...shape, attributeKeys: ['OBJECTID', long] });
    const short = await store.queryFeatureJson!('ds', SCHEMA, { columns: ['OBJECTID', 'NAME'], limit: 1 }, { ...shape, attributeKeys: ['OBJECTID', 'N'] });
    expect(named!.json.toString()).toBe(short!.json.toString().replace('"N":', `${JSON.stringify(long)}:`));
  });

  it('leaves rows it cannot render as JSON to the caller', async () => {
    const shape = { attributesKey: 'attributes', attributeKeys: ['NAME'], geometryKey: 'geometry' };
    expect(await store.queryFeatureJson!('ds', SCHEMA, { columns: ['NAME'], distinct: true }, shape)).toBeUndefined();
    expect(await store.queryFeatureJson!('ds', SCHEMA, { columns: ['NAME'], geometry: { simplifyTolerance: 1 } }, shape)).toBeUndefined();
  });

  it('changes the data version with every write: its own, another connection\'s, another node\'s', async () => {
    const first = await store.dataVersion!('ds');
    expect(await store.dataVersion!('ds')).toBe(first);
    await store.applyEdits('ds', [{ layer: SCHEMA, deletes: [1] }], OPTIONS);
    const second = await store.dataVersion!('ds');
    expect(second).not.toBe(first);
    await engine.writeBehind('UPDATE {table} SET "POP" = 0');
    const third = await store.dataVersion!('ds');
    expect(third).not.toBe(second);
    const other = await engine.other();
    // PostgreSQL keeps one version for every node (the embedded one is per connection).
    if (name === 'postgres') expect(await other.dataVersion!('ds')).toBe(third);
    await other.applyEdits('ds', [{ layer: SCHEMA, adds: [add('n', 5, 5)] }], OPTIONS);
    expect(await store.dataVersion!('ds')).not.toBe(third);
    expect(await store.queryIds('ds', SCHEMA, {})).toEqual([2, 3, 4]);
  });

  it('filters by compiled where, object ids and geometry together', async () => {
    const filter = {
      where: where('"POP" >= ?', [15]),
      objectIds: [1, 2, 3],
      spatial: { wkb: esriToWkb({ xmin: 0, ymin: 0, xmax: 2.5, ymax: 2.5 })!, srid: 4326, relation: 'intersects' as const },
    };
    expect(await store.queryIds('ds', SCHEMA, filter)).toEqual([2]);
    expect(await store.countFeatures('ds', SCHEMA, filter)).toBe(1);
    const buffered = { spatial: { wkb: esriToWkb({ x: 1, y: 1.5 })!, srid: 4326, relation: 'intersects' as const, bufferMeters: 60_000 } };
    expect(await store.queryIds('ds', SCHEMA, buffered)).toEqual([1]);
    const projected = { spatial: { wkb: esriToWkb({ xmin: 200_000, ymin: 200_000, xmax: 400_000, ymax: 400_000 })!, srid: 3857, relation: 'envelope-intersects' as const } };
    expect(await store.queryIds('ds', SCHEMA, projected)).toEqual([2, 3]);
  });

  it('keeps the extent in step with edits, and projects it', async () => {
    expect((await store.describeLayer('ds', SCHEMA)).extent).toEqual({ xmin: 1, ymin: 1, xmax: 3, ymax: 3 });
    await store.applyEdits('ds', [{ layer: SCHEMA, deletes: [3], updates: [{ key: 1, values: {}, geometry: point(-5, 0.5) }] }], OPTIONS);
    expect((await store.describeLayer('ds', SCHEMA)).extent).toEqual({ xmin: -5, ymin: 0.5, xmax: 2, ymax: 2 });
    const mercator = await store.queryExtent('ds', SCHEMA, { where: where('"POP" > ?', [15]) }, 3857);
    expect(mercator!.xmin).toBeCloseTo(222638.98, 1);
  });

  it('reports per-item failures and keeps the rest without rollback', async () => {
    const outcome = await store.applyEdits(
      'ds',
      [{ layer: SCHEMA, adds: [add('d', 4, 4), add('dup', 5, 5, '{a}')], updates: [{ key: 99, values: { NAME: 'x' } }], deletes: [1, 42] }],
      OPTIONS,
    );
    expect(outcome.committed).toBe(true);
    expect(Math.abs(outcome.editMoment - Date.now())).toBeLessThan(60_000);
    expect(outcome.layers[0]).toEqual({
      layerId: 0,
      // Object ids are unique, not dense: a batch undone for one failing row leaves a gap.
      adds: [{ objectId: expect.any(Number) as number, globalId: '{d}' }, { failure: { kind: 'duplicate', message: expect.any(String) as string } }],
      updates: [{ objectId: 99, failure: { kind: 'not-found', message: 'Object 99 does not exist' } }],
      deletes: [{ objectId: 1, globalId: '{a}' }, { objectId: 42, failure: { kind: 'not-found', message: 'Object 42 does not exist' } }],
    });
    expect(await store.queryIds('ds', SCHEMA, {})).toEqual([2, 3, outcome.layers[0]!.adds[0]!.objectId]);
  });

  it('rolls everything back on the first failure with rollbackOnFailure', async () => {
    const outcome = await store.applyEdits('ds', [{ layer: SCHEMA, adds: [add('d', 4, 4)], deletes: [1, 42] }], { ...OPTIONS, rollbackOnFailure: true });
    expect(outcome.committed).toBe(false);
    expect(await store.queryIds('ds', SCHEMA, {})).toEqual([1, 2, 3]);
    // Object ids of rolled-back adds are not handed out again either way.
    const next = await store.applyEdits('ds', [{ layer: SCHEMA, adds: [add('e', 4, 4)] }], OPTIONS);
    expect(next.layers[0]!.adds[0]!.objectId).toBeGreaterThanOrEqual(4);
  });

  it('updates and deletes by global id', async () => {
    const outcome = await store.applyEdits('ds', [{ layer: SCHEMA, updates: [{ key: '{b}', values: { NAME: 'B' } }], deletes: ['{c}', '{zz}'] }], {
      ...OPTIONS,
      useGlobalIds: true,
    });
    expect(outcome.layers[0]).toMatchObject({
      updates: [{ objectId: 2, globalId: '{b}' }],
      deletes: [{ objectId: 3, globalId: '{c}' }, { globalId: '{zz}', failure: { kind: 'not-found' } }],
    });
  });

  it('updates many features of several shapes, each with its own result, in request order', async () => {
    const outcome = await store.applyEdits(
      'ds',
      [{
        layer: SCHEMA,
        updates: [
          { key: 3, values: { NAME: 'C', POP: 33 } },
          { key: 77, values: { NAME: 'none' } },
          { key: 1, values: { NAME: 'A' }, geometry: point(9, 9) },
          { key: 2, values: { NAME: 'B', POP: 22 } },
          { key: 'x', values: { NAME: 'bad key' } },
        ],
        deletes: [2, 2, 55],
      }],
      OPTIONS,
    );
    expect(outcome.layers[0]!.updates).toEqual([
      { objectId: 3, globalId: '{c}' },
      { objectId: 77, failure: { kind: 'not-found', message: 'Object 77 does not exist' } },
      { objectId: 1, globalId: '{a}' },
      { objectId: 2, globalId: '{b}' },
      { failure: { kind: 'not-found', message: 'Object x does not exist' } },
    ]);
    expect(outcome.layers[0]!.deletes).toEqual([
      { objectId: 2, globalId: '{b}' },
      { objectId: 2, failure: { kind: 'not-found', message: 'Object 2 does not exist' } },
      { objectId: 55, failure: { kind: 'not-found', message: 'Object 55 does not exist' } },
    ]);
    const { rows } = await store.queryFeatures('ds', SCHEMA, { columns: ['NAME', 'POP'], geometry: { pointsAsXY: true } });
    expect(rows).toEqual([['A', 10, 9, 9], ['C', 33, 3, 3]]);
  });

  it('finds the failing update of a batch: alone without rollback, the first of all with it', async () => {
    const updates = [{ key: 1, values: { POP: 11 } }, { key: 2, values: { GlobalID: '{a}' } }, { key: 3, values: { POP: 33 } }];
    const kept = await store.applyEdits('ds', [{ layer: SCHEMA, updates }], OPTIONS);
    expect(kept.layers[0]!.updates.map((r) => r.failure?.kind ?? r.objectId)).toEqual([1, 'duplicate', 3]);
    const popOf = async () => (await store.queryFeatures('ds', SCHEMA, { columns: ['POP'] })).rows.map((r) => r[0]);
    expect(await popOf()).toEqual([11, 20, 33]);
    const undone = await store.applyEdits('ds', [{ layer: SCHEMA, updates: [{ key: 1, values: { POP: 1 } }, { key: 9, values: { POP: 9 } }, { key: 3, values: { POP: 3 } }] }], { ...OPTIONS, rollbackOnFailure: true });
    expect(undone.committed).toBe(false);
    expect(undone.layers[0]!.updates.map((r) => r.failure?.kind ?? r.objectId)).toEqual([1, 'not-found']);
    expect(await popOf()).toEqual([11, 20, 33]);
  });

  it('deletes keys only where they also match the delete filter', async () => {
    const outcome = await store.applyEdits('ds', [{ layer: SCHEMA, deletes: [1, 2, 7], deleteFilter: { where: where('"POP" > ?', [15]) } }], OPTIONS);
    expect(outcome.layers[0]!.deletes).toEqual([
      { objectId: 1, globalId: '{a}', skipped: true },
      { objectId: 2, globalId: '{b}' },
      { objectId: 7, failure: { kind: 'not-found', message: 'Object 7 does not exist' } },
    ]);
    const all = await store.applyEdits('ds', [{ layer: SCHEMA, deleteFilter: { where: where('"POP" < ?', [100]) } }], OPTIONS);
    expect(all.layers[0]!.deletes.map((r) => r.objectId)).toEqual([1, 3]);
  });

  it('projects written geometries given in another SRID', async () => {
    await store.applyEdits('ds', [{ layer: SCHEMA, adds: [{ values: { NAME: 'merc' }, geometry: point(111319.49079327357, 0, 3857) }] }], OPTIONS);
    const { rows } = await store.queryFeatures('ds', SCHEMA, { columns: ['NAME'], geometry: { pointsAsXY: true }, where: where('"NAME" = ?', ['merc']) });
    expect(rows[0]![1]).toBeCloseTo(1, 9);
  });

  it('computes grouped statistics', async () => {
    const { rows } = await store.queryStatistics('ds', SCHEMA, {
      statistics: [
        { type: 'count', column: null, alias: 'N' },
        { type: 'sum', column: 'POP', alias: 'S' },
        { type: 'stddev', column: 'POP', alias: 'SD' },
      ],
      groupBy: [],
    });
    expect(rows).toEqual([[3, 60, 10]]);
    const grouped = await store.queryStatistics('ds', SCHEMA, {
      statistics: [{ type: 'count', column: null, alias: 'N' }],
      groupBy: ['NAME'],
      having: where('count(*) >= ?', [1]),
      orderBy: [{ column: 'NAME', descending: true }],
      limit: 2,
    });
    expect(grouped.rows).toEqual([['c', 1], ['b', 1]]);
  });

  it('adds and drops columns and layers', async () => {
    await store.addColumns('ds', 0, [{ name: 'EXTRA', type: 'real' }]);
    const layer = { ...SCHEMA, columns: [...SCHEMA.columns, { name: 'EXTRA', type: 'real' as const }] };
    await store.applyEdits('ds', [{ layer, updates: [{ key: 1, values: { EXTRA: 1.5 } }] }], OPTIONS);
    expect((await store.queryFeatures('ds', layer, { columns: ['EXTRA'], objectIds: [1] })).rows).toEqual([[1.5]]);
    await store.dropColumns('ds', 0, ['EXTRA']);
    expect((await store.queryFeatures('ds', SCHEMA, { columns: ['NAME'], objectIds: [1] })).rows).toEqual([['a']]);
    const table: LayerSchema = { id: 1, objectIdColumn: 'OID', columns: [{ name: 'V', type: 'text' }] };
    await store.createLayer('ds', table);
    await store.applyEdits('ds', [{ layer: table, adds: [{ values: { V: 'x' } }] }], OPTIONS);
    expect(await store.countFeatures('ds', table, {})).toBe(1);
    await store.dropLayer('ds', 1);
    await expect(store.countFeatures('ds', table, {})).rejects.toThrow();
  });

  it('knows the spatial references the engine can project', async () => {
    expect(await store.supportsSrid(3857)).toBe(true);
    expect(await store.supportsSrid(999999)).toBe(false);
  });

  it('drops a dataset with its layers', async () => {
    expect(await store.countFeatures('ds', SCHEMA, {})).toBe(3);
    await store.dropDataset('ds');
    await expect(store.queryIds('ds', SCHEMA, {})).rejects.toThrow(/does not exist/);
    await store.createDataset('ds');
    await store.createLayer('ds', SCHEMA);
    expect(await store.queryIds('ds', SCHEMA, {})).toEqual([]);
    // Not the dropped file's rows, wherever the count runs.
    expect(await store.countFeatures('ds', SCHEMA, {})).toBe(0);
  });
});

describe('PostgreSQL migrations', () => {
  let schema: string;
  let pools: pg.Pool[] = [];
  beforeAll(() => {
    schema = `test_${randomBytes(6).toString('hex')}`;
  });
  afterAll(async () => {
    await pools[0]?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const pool of pools) await pool.end();
  });

  it('run once when several nodes start together', async () => {
    pools = await Promise.all([1, 2, 3].map(() => openPostgres(POSTGRES_URL, schema)));
    const applied = await Promise.all(pools.map((pool) => runPostgresMigrations(pool, schema, ['core', 'features'])));
    // Each file ran on exactly one of the three nodes, whatever files later capabilities add.
    const all = applied.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(['core/001_users_items_services.sql', 'features/001_feature_datasets.sql']));
    expect(all.every((id) => /^(core|features)\/\d+_.+\.sql$/.test(id))).toBe(true);
  });
});

async function openSqlite(readThreads: number, busy = false): Promise<Engine> {
  const dir = await mkdtemp(path.join(tmpdir(), 'feature-store-'));
  // As if this and another request were being answered: what the store reads to spill a read.
  if (busy) for (let i = 0; i < 2; i++) inFlight.enter();
  const store = new SqliteFeatureStore(dir, { readThreads });
  const others: FeatureStore[] = [];
  return {
    store,
    writeBehind: async (sql) => {
      const db = openDatabase(path.join(dir, 'ds.sqlite'), { spatialite: true });
      db.prepare(sql.replace('{table}', 'layer_0')).run();
      db.close();
    },
    other: async () => {
      const other = new SqliteFeatureStore(dir, { readThreads });
      others.push(other);
      return other;
    },
    drop: async () => {
      for (const other of others) await other.close();
      await store.close();
      if (busy) for (let i = 0; i < 2; i++) inFlight.leave();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
