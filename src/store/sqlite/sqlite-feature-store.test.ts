import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { esriToWkb } from '../../geometry/wkb.js';
import type { FeatureWrite, LayerSchema } from '../feature-store.js';
import { openDatabase } from './database.js';
import { SqliteFeatureStore } from './sqlite-feature-store.js';

const SCHEMA: LayerSchema = {
  id: 0,
  objectIdColumn: 'OBJECTID',
  globalIdColumn: 'GlobalID',
  columns: [
    { name: 'NAME', type: 'text' },
    { name: 'POP', type: 'integer' },
    { name: 'GlobalID', type: 'text' },
  ],
  geometry: { kind: 'point', srid: 4326, hasZ: false, hasM: false },
  indexes: [{ name: 'pop', columns: ['POP'], unique: false }],
};
const OPTIONS = { rollbackOnFailure: false, useGlobalIds: false };

const point = (x: number, y: number, srid = 4326) => ({ wkb: esriToWkb({ x, y })!, srid });
const add = (name: string, x: number, y: number, globalId = `{${name}}`): FeatureWrite => ({ values: { NAME: name, POP: x * 10, GlobalID: globalId }, geometry: point(x, y) });

let dir: string;
let store: SqliteFeatureStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'feature-store-'));
  store = new SqliteFeatureStore(dir);
  await store.createDataset('ds');
  await store.createLayer('ds', SCHEMA);
  await store.applyEdits('ds', [{ layer: SCHEMA, adds: [add('a', 1, 1), add('b', 2, 2), add('c', 3, 3)] }], OPTIONS);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SqliteFeatureStore', () => {
  it('reads pages in object id order, points as x/y or WKB', async () => {
    const xy = await store.queryFeatures('ds', SCHEMA, { columns: ['OBJECTID', 'NAME'], geometry: { pointsAsXY: true }, offset: 1, limit: 1 });
    expect(xy).toEqual({ rows: [[2, 'b', 2, 2]], geometryFormat: 'xy' });
    const wkb = await store.queryFeatures('ds', SCHEMA, { columns: ['NAME'], geometry: { srid: 3857 }, limit: 1 });
    expect(wkb.geometryFormat).toBe('wkb');
    expect(Buffer.isBuffer(wkb.rows[0]![1])).toBe(true);
  });

  it('renders rows as JSON objects in the order and with the values queryFeatures reads', async () => {
    await store.applyEdits('ds', [{ layer: SCHEMA, adds: [{ values: { NAME: 'quote " and \\ ünï', POP: null, GlobalID: '{q}' }, geometry: null }] }], OPTIONS);
    const shape = { attributesKey: 'attributes', attributeKeys: ['OBJECTID', 'NAME', 'POP'], geometryKey: 'geometry' };
    const query = { columns: ['OBJECTID', 'NAME', 'POP'], orderBy: [{ column: 'POP', descending: true }], limit: 10 };
    for (const geometry of [undefined, { pointsAsXY: true }, { srid: 3857 }]) {
      const page = await store.queryFeatureJson('ds', SCHEMA, { ...query, ...(geometry ? { geometry } : {}) }, shape);
      const objects = JSON.parse(`[${page!.json}]`);
      expect(page).toMatchObject({ count: 4, more: false });
      const { rows } = await store.queryFeatures('ds', SCHEMA, { ...query, geometry: { ...geometry, pointsAsXY: true, srid: geometry?.srid ?? 4326 } });
      const expected = rows.map((row) => ({
        attributes: { OBJECTID: row[0], NAME: row[1], POP: row[2] },
        ...(geometry ? { geometry: row[3] === null ? null : { x: row[3], y: row[4] } } : {}),
      }));
      if (geometry?.srid === 3857) {
        const projected = objects.map((object: any) => object.geometry);
        expect(projected[0].x).toBeCloseTo(333958.47, 1);
        expect(projected.at(-1)).toBeNull();
        continue;
      }
      expect(objects).toEqual(expected);
    }
    // A page of 2: the rest is flagged, the page keeps its first two objects, whatever the strings hold.
    const tricky = ',{"attributes":{"NAME":1}},{"attributes":';
    await store.applyEdits('ds', [{ layer: SCHEMA, adds: [{ values: { NAME: tricky, POP: 25, GlobalID: '{t}' }, geometry: point(0, 0) }] }], OPTIONS);
    for (const limit of [2, 3]) {
      const page = await store.queryFeatureJson('ds', SCHEMA, { ...query, limit, geometry: { pointsAsXY: true } }, shape);
      expect(page).toMatchObject({ count: limit, more: true });
      expect(JSON.parse(`[${page!.json}]`).map((o: any) => o.attributes.NAME)).toEqual(['c', tricky, 'b'].slice(0, limit));
    }
    expect(await store.queryFeatureJson('ds', SCHEMA, { ...query, limit: 0 }, shape)).toEqual({ json: Buffer.alloc(0), count: 0, more: true });
    expect(await store.queryFeatureJson('ds', SCHEMA, { ...query, where: { sql: '0', params: [] } }, shape)).toEqual({ json: Buffer.alloc(0), count: 0, more: false });
    const rounded = await store.queryFeatureJson('ds', SCHEMA, { columns: [], geometry: { srid: 3857 }, limit: 1 }, { ...shape, attributeKeys: [], precision: 1 });
    expect(JSON.parse(rounded!.json.toString()).geometry).toEqual({ x: 111319.5, y: 111325.1 });
  });

  it('leaves rows it cannot render as JSON to the caller', async () => {
    const shape = { attributesKey: 'attributes', attributeKeys: ['NAME'], geometryKey: 'geometry' };
    expect(await store.queryFeatureJson('ds', SCHEMA, { columns: ['NAME'], distinct: true }, shape)).toBeUndefined();
    expect(await store.queryFeatureJson('ds', SCHEMA, { columns: ['NAME'], geometry: { simplifyTolerance: 1 } }, shape)).toBeUndefined();
  });

  it('changes the data version with every write, its own or by another connection', async () => {
    const first = await store.dataVersion('ds');
    expect(await store.dataVersion('ds')).toBe(first);
    await store.applyEdits('ds', [{ layer: SCHEMA, deletes: [1] }], OPTIONS);
    const second = await store.dataVersion('ds');
    expect(second).not.toBe(first);
    const other = openDatabase(path.join(dir, 'ds.sqlite'), { spatialite: true });
    other.prepare('UPDATE layer_0 SET "POP" = 0').run();
    other.close();
    expect(await store.dataVersion('ds')).not.toBe(second);
  });

  it('filters by compiled where, object ids and geometry together', async () => {
    const filter = {
      where: { sql: '"POP" >= ?', params: [15] },
      objectIds: [1, 2, 3],
      spatial: { wkb: esriToWkb({ xmin: 0, ymin: 0, xmax: 2.5, ymax: 2.5 })!, srid: 4326, relation: 'intersects' as const },
    };
    expect(await store.queryIds('ds', SCHEMA, filter)).toEqual([2]);
    expect(await store.countFeatures('ds', SCHEMA, filter)).toBe(1);
  });

  it('keeps the R*Tree extent in step with edits', async () => {
    expect((await store.describeLayer('ds', SCHEMA)).extent).toEqual({ xmin: 1, ymin: 1, xmax: 3, ymax: 3 });
    await store.applyEdits('ds', [{ layer: SCHEMA, deletes: [3], updates: [{ key: 1, values: {}, geometry: point(-5, 0.5) }] }], OPTIONS);
    expect((await store.describeLayer('ds', SCHEMA)).extent).toEqual({ xmin: -5, ymin: 0.5, xmax: 2, ymax: 2 });
  });

  it('reports per-item failures and keeps the rest without rollback', async () => {
    const outcome = await store.applyEdits(
      'ds',
      [{ layer: SCHEMA, adds: [add('d', 4, 4), add('dup', 5, 5, '{a}')], updates: [{ key: 99, values: { NAME: 'x' } }], deletes: [1, 42] }],
      OPTIONS,
    );
    expect(outcome.committed).toBe(true);
    expect(outcome.layers[0]).toEqual({
      layerId: 0,
      adds: [{ objectId: 4, globalId: '{d}' }, { failure: { kind: 'duplicate', message: expect.any(String) } }],
      updates: [{ objectId: 99, failure: { kind: 'not-found', message: 'Object 99 does not exist' } }],
      deletes: [{ objectId: 1, globalId: '{a}' }, { objectId: 42, failure: { kind: 'not-found', message: 'Object 42 does not exist' } }],
    });
    expect(await store.queryIds('ds', SCHEMA, {})).toEqual([2, 3, 4]);
  });

  it('rolls everything back on the first failure with rollbackOnFailure', async () => {
    const outcome = await store.applyEdits('ds', [{ layer: SCHEMA, adds: [add('d', 4, 4)], deletes: [1, 42] }], { ...OPTIONS, rollbackOnFailure: true });
    expect(outcome.committed).toBe(false);
    expect(await store.queryIds('ds', SCHEMA, {})).toEqual([1, 2, 3]);
    // Object ids of rolled-back adds are not handed out again either way.
    const next = await store.applyEdits('ds', [{ layer: SCHEMA, adds: [add('e', 4, 4)] }], OPTIONS);
    expect(next.layers[0]!.adds[0]!.objectId).toBeGreaterThanOrEqual(4);
  });

  it('deletes keys only where they also match the delete filter', async () => {
    const outcome = await store.applyEdits('ds', [{ layer: SCHEMA, deletes: [1, 2, 7], deleteFilter: { where: { sql: '"POP" > ?', params: [15] } } }], OPTIONS);
    expect(outcome.layers[0]!.deletes).toEqual([
      { objectId: 1, globalId: '{a}', skipped: true },
      { objectId: 2, globalId: '{b}' },
      { objectId: 7, failure: { kind: 'not-found', message: 'Object 7 does not exist' } },
    ]);
    const all = await store.applyEdits('ds', [{ layer: SCHEMA, deleteFilter: { where: { sql: '"POP" < ?', params: [100] } } }], OPTIONS);
    expect(all.layers[0]!.deletes.map((r) => r.objectId)).toEqual([1, 3]);
  });

  it('projects written geometries given in another SRID', async () => {
    await store.applyEdits('ds', [{ layer: SCHEMA, adds: [{ values: { NAME: 'merc' }, geometry: point(111319.49079327357, 0, 3857) }] }], OPTIONS);
    const { rows } = await store.queryFeatures('ds', SCHEMA, { columns: ['NAME'], geometry: { pointsAsXY: true }, where: { sql: '"NAME" = ?', params: ['merc'] } });
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
  });

  it('drops a dataset with its file', async () => {
    await store.dropDataset('ds');
    expect((await readdir(dir)).filter((f) => f.startsWith('ds.'))).toEqual([]);
    await expect(store.queryIds('ds', SCHEMA, {})).rejects.toThrow(/does not exist/);
  });
});
