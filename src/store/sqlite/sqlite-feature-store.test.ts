import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { esriToWkb } from '../../geometry/wkb.js';
import type { FeatureWrite, LayerSchema } from '../feature-store.js';
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

// What every engine must do is in ../feature-store.contract.test.ts; this file keeps what only SQLite has.
describe('SqliteFeatureStore', () => {
  it('drops a dataset with its file', async () => {
    await store.dropDataset('ds');
    expect((await readdir(dir)).filter((f) => f.startsWith('ds.'))).toEqual([]);
    await expect(store.queryIds('ds', SCHEMA, {})).rejects.toThrow(/does not exist/);
  });
});
