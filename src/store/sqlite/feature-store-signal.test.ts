import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerSchema } from '../feature-store.js';
import { SqliteFeatureStore } from './sqlite-feature-store.js';

const SCHEMA: LayerSchema = {
  id: 0,
  objectIdColumn: 'OBJECTID',
  columns: [{ name: 'NAME', type: 'text' }],
  geometry: { kind: 'point', srid: 4326, hasZ: false, hasM: false },
  indexes: [],
};

let dir: string;
let store: SqliteFeatureStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'feature-store-signal-'));
  store = new SqliteFeatureStore(dir);
  await store.createDataset('ds');
  await store.createLayer('ds', SCHEMA);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SqliteFeatureStore and the request signal', () => {
  const aborted = AbortSignal.abort(new DOMException('The client closed the connection', 'AbortError'));

  it.each<[string, (signal: AbortSignal) => Promise<unknown>]>([
    ['queryFeatures', (signal) => store.queryFeatures('ds', SCHEMA, { columns: ['NAME'] }, signal)],
    ['queryFeatureJson', (signal) => store.queryFeatureJson('ds', SCHEMA, { columns: ['NAME'] }, { attributesKey: 'attributes', attributeKeys: ['NAME'], geometryKey: 'geometry' }, signal)],
    ['countFeatures', (signal) => store.countFeatures('ds', SCHEMA, {}, undefined, signal)],
    ['queryIds', (signal) => store.queryIds('ds', SCHEMA, {}, undefined, signal)],
    ['queryExtent', (signal) => store.queryExtent('ds', SCHEMA, {}, undefined, signal)],
    ['queryStatistics', (signal) => store.queryStatistics('ds', SCHEMA, { statistics: [{ type: 'count', column: 'NAME', alias: 'n' }], groupBy: [] }, signal)],
    ['describeLayer', (signal) => store.describeLayer('ds', SCHEMA, signal)],
    ['dataVersion', (signal) => store.dataVersion('ds', signal)],
    ['supportsSrid', (signal) => store.supportsSrid(4326, signal)],
  ])('%s does no work once the request is aborted', async (_name, call) => {
    await expect(call(aborted)).rejects.toThrow('The client closed the connection');
    await expect(call(new AbortController().signal)).resolves.toBeDefined();
  });
});
