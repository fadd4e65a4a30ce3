import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../config.js';
import { esriToWkb } from '../../geometry/wkb.js';
import type { FeatureJsonShape, FeatureQuery, LayerSchema } from '../feature-store.js';
import { openStores, type Stores } from '../index.js';
import { PgFeatureStore } from './pg-feature-store.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `test_${randomBytes(6).toString('hex')}`;
const config: Config = { ...defaultConfig(), store: { kind: 'postgres', postgresUrl: POSTGRES_URL, postgresSchema: schema } };

const LAYER: LayerSchema = {
  id: 0,
  objectIdColumn: 'OBJECTID',
  columns: [{ name: 'NAME', type: 'text' }],
  geometry: { kind: 'point', srid: 4326, hasZ: false, hasM: false },
};
const SHAPE: FeatureJsonShape = { attributesKey: 'attributes', attributeKeys: ['OBJECTID', 'NAME'], geometryKey: 'geometry' };
const QUERY: FeatureQuery = { columns: ['OBJECTID', 'NAME'], geometry: { pointsAsXY: true }, limit: 10 };
const OPTIONS = { rollbackOnFailure: false, useGlobalIds: false };
const add = (name: string, x: number) => ({ values: { NAME: name }, geometry: { wkb: esriToWkb({ x, y: 1 })!, srid: 4326 } });

// Two nodes on one schema: `a` answers queries, `b` commits catalog changes and edits meanwhile.
let a: Stores;
let b: Stores;
let connections = 0;

beforeAll(async () => {
  [a, b] = [await openStores(config), await openStores(config)];
  await a.features.createDataset('ds');
  await a.features.createLayer('ds', LAYER);
  await a.features.applyEdits('ds', [{ layer: LAYER, adds: [add('one', 1)] }], OPTIONS);
  await a.catalogReader()(); // a has read the version once: its feature queries guess from now on
  a.postgres!.on('acquire', () => connections++);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

/** A feature query as a request makes it: a guessing catalog reader, then the store's statement. */
async function request(work: (signal: AbortSignal) => Promise<unknown>) {
  const signal = new AbortController().signal;
  const catalog = a.catalogReader({ speculative: true, signal });
  const guess = await catalog();
  connections = 0;
  const answer = await work(signal);
  return { answer, confirmed: await catalog.confirm(), guess, version: await catalog(), connections };
}

describe('the catalog version read by the feature statement itself (PostgreSQL)', () => {
  it('sees a catalog change and an edit another node committed before the request, on one connection', async () => {
    await b.users.create({ username: 'one', fullName: '', email: '', role: 'user', passwordHash: 'h' });
    await b.features.applyEdits('ds', [{ layer: LAYER, adds: [add('two', 2)] }], OPTIONS);
    const seen = await request((signal) => a.features.queryFeatureJson!('ds', LAYER, QUERY, SHAPE, signal));
    expect(seen).toMatchObject({ confirmed: false, connections: 1, answer: { count: 2 } });
    expect(seen.version).not.toBe(seen.guess);
    // Nothing moved since: the next request's guess holds.
    expect(await request((signal) => a.features.countFeatures('ds', LAYER, {}, undefined, signal))).toMatchObject({ confirmed: true, connections: 1, answer: 2 });
  });

  it('answers the version when no feature matches, and when the statement fails', async () => {
    await b.users.create({ username: 'two', fullName: '', email: '', role: 'user', passwordHash: 'h' });
    const none = await request((signal) => a.features.queryFeatureJson!('ds', LAYER, { ...QUERY, objectIds: [] }, SHAPE, signal));
    expect(none).toMatchObject({ confirmed: false, connections: 1, answer: { count: 0 } });

    await b.users.bumpTokenVersion('two');
    const bad = { ...QUERY, where: { sql: '"NAME"::integer = $1', params: [1] } };
    const failed = await request((signal) => a.features.queryFeatureJson!('ds', LAYER, bad, SHAPE, signal).catch((error: Error) => error));
    expect(failed.answer).toBeInstanceOf(Error);
    expect(failed.confirmed).toBe(false); // read on its own instead
  });

  it('leaves the answers as they are', async () => {
    const plain = new PgFeatureStore(a.postgres!);
    for (const query of [QUERY, { ...QUERY, geometry: { pointsAsXY: true, srid: 3857 } }, { ...QUERY, geometry: undefined }]) {
      const folded = await request((signal) => a.features.queryFeatureJson!('ds', LAYER, query, SHAPE, signal));
      expect(folded.connections).toBe(1);
      expect(folded.answer).toEqual(await plain.queryFeatureJson('ds', LAYER, query, SHAPE));
      const rows = await request((signal) => a.features.queryFeatures('ds', LAYER, query, signal));
      expect(rows.answer).toEqual(await plain.queryFeatures('ds', LAYER, query));
    }
  });
});
