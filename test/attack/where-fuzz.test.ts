import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from '../http/features-helpers.js';
import { registerFileShare, runJob } from '../http/imagery-http.js';
import { errorCode, seededRandom, SEED, sized } from './attack-size.js';
import { HOSTILE, mutatedClause, validClause, type Clause, type Row } from './where-clauses.js';
import type { EditsAnswer, FeatureSet } from '../helpers/answers.js';

/** Tallies printed at the end of each suite. */
class Tally {
  sent = 0;
  serverErrors: string[] = [];
  envelopeErrors: string[] = [];
  wrongAnswers: string[] = [];
  injections: string[] = [];
  refused = 0;
  answered = 0;

  print(name: string): void {
    console.log(
      `${name}: ${this.sent} clauses sent (seed ${SEED}), ${this.answered} answered, ${this.refused} refused with 400, ` +
        `${this.serverErrors.length} 5xx, ${this.envelopeErrors.length} outside the envelope, ${this.wrongAnswers.length} wrong answers, ${this.injections.length} injections`,
    );
  }

  assertClean(): void {
    expect(this.serverErrors.slice(0, 5)).toEqual([]);
    expect(this.envelopeErrors.slice(0, 5)).toEqual([]);
    expect(this.wrongAnswers.slice(0, 5)).toEqual([]);
    expect(this.injections.slice(0, 5)).toEqual([]);
  }
}

/** A query or delete answer, an error envelope, or undefined when the body was not JSON. */
type FuzzAnswer = (Partial<FeatureSet> & Partial<EditsAnswer> & { success?: boolean }) | undefined;

/** Posts a form; the answer, the HTTP status and whether it was JSON. */
async function postForm(server: TestServer, target: string, form: Record<string, string>): Promise<{ status: number; json: FuzzAnswer }> {
  const response = await fetch(`${server.url}${target}`, { method: 'POST', body: new URLSearchParams(form) });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) as FuzzAnswer };
  } catch {
    return { status: response.status, json: undefined };
  }
}

/** Checks one answer: JSON, no 5xx, and an error (if any) in the exact ArcGIS envelope. */
function checkAnswer(tally: Tally, label: string, answer: { status: number; json: FuzzAnswer }, success: (json: FuzzAnswer) => boolean): 'ok' | 'refused' | 'bad' {
  const code = errorCode(answer.json);
  if (answer.status >= 500 || (code ?? 0) >= 500) {
    tally.serverErrors.push(label);
    return 'bad';
  }
  if (answer.json === undefined) {
    tally.envelopeErrors.push(`${label}: not JSON`);
    return 'bad';
  }
  if (code !== undefined) {
    const error = answer.json.error;
    const enveloped = error && typeof error.message === 'string' && Array.isArray(error.details) && Object.keys(answer.json).length === 1;
    if (!enveloped || code !== 400) {
      tally.envelopeErrors.push(`${label}: ${JSON.stringify(answer.json).slice(0, 200)}`);
      return 'bad';
    }
    tally.refused++;
    return 'refused';
  }
  if (!success(answer.json)) {
    tally.envelopeErrors.push(`${label}: ${JSON.stringify(answer.json).slice(0, 200)}`);
    return 'bad';
  }
  tally.answered++;
  return 'ok';
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const same = (a: number[], b: number[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

describe('where-clause fuzzing on a feature layer', () => {
  let server: TestServer;
  let token: string;
  let layer: string;
  let snapshot: Row[];
  let digest: string;
  const rand = seededRandom(SEED);

  /** All rows with their geometry, and a digest of the table without OBJECTID/GlobalID (re-adds renumber). */
  async function readTable(): Promise<{ rows: Row[]; geometries: Map<string, unknown>; digest: string }> {
    const answer = await postForm(server, `${layer}/query`, { f: 'json', token, where: '1=1', outFields: '*', returnGeometry: 'true', resultRecordCount: '1000' });
    const features = answer.json!.features as Array<{ attributes: Row; geometry: unknown }>;
    const rows = features.map((f) => f.attributes);
    const geometries = new Map(features.map((f) => [String(f.attributes.NAME), f.geometry]));
    const content = features
      .map((f) => JSON.stringify([f.attributes.NAME, f.attributes.POP, f.attributes.CAT, f.attributes.RATIO, f.attributes.WHEN, f.geometry]))
      .sort()
      .join('\n');
    return { rows, geometries, digest: createHash('sha256').update(content).digest('hex') };
  }

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    layer = `${await createGridService(server, token, 'Fuzz')}/0`;
    const table = await readTable();
    snapshot = table.rows;
    digest = table.digest;
  });
  afterAll(async () => server?.close());

  function clauses(valid: number, mutated: number): Array<Clause & { refuse?: boolean }> {
    return [
      ...Array.from({ length: valid }, () => validClause(rand)),
      ...HOSTILE,
      ...Array.from({ length: mutated }, () => mutatedClause(rand)),
    ];
  }

  it('query: valid clauses match the evaluator, hostile ones are refused, nothing changes', async () => {
    const tally = new Tally();
    const ids = new Map(snapshot.map((row) => [row, Number(row.OBJECTID)]));
    for (const clause of clauses(sized(400, 4000), sized(200, 2000))) {
      tally.sent++;
      const answer = await postForm(server, `${layer}/query`, { f: 'json', token, where: clause.text, returnIdsOnly: 'true' });
      const label = `query ${clause.text.slice(0, 120)}`;
      const outcome = checkAnswer(tally, label, answer, (json) => Array.isArray(json!.objectIds));
      if (clause.test) {
        const want = snapshot.filter(clause.test).map((row) => ids.get(row)!);
        if (outcome !== 'ok' || !same(answer.json!.objectIds!, want)) tally.wrongAnswers.push(`${label}: ${JSON.stringify(answer.json).slice(0, 200)}`);
      }
      if ('refuse' in clause && clause.refuse && outcome === 'ok') tally.injections.push(`${label}: accepted`);
      if (tally.sent % 100 === 0 && (await readTable()).digest !== digest) tally.injections.push(`${label}: the table changed`);
    }
    if ((await readTable()).digest !== digest) tally.injections.push('the table changed');
    tally.print('where fuzzing, query');
    tally.assertClean();
  }, 600_000);

  it('deleteFeatures: deletes exactly what the same clause queries, and nothing else', async () => {
    const tally = new Tally();
    for (const clause of clauses(sized(80, 800), sized(60, 600))) {
      tally.sent++;
      const label = `deleteFeatures ${clause.text.slice(0, 120)}`;
      const before = await readTable();
      const expected = await postForm(server, `${layer}/query`, { f: 'json', token, where: clause.text, returnIdsOnly: 'true' });
      const answer = await postForm(server, `${layer}/deleteFeatures`, { f: 'json', token, where: clause.text });
      // A delete by where answers {"success":true}, as ArcGIS does: what went is read from the table.
      const outcome = checkAnswer(tally, label, answer, (json) => json!.success === true || Array.isArray(json!.deleteResults));
      const remaining = new Set((await readTable()).rows.map((row) => Number(row.OBJECTID)));
      const deleted = before.rows.map((row) => Number(row.OBJECTID)).filter((id) => !remaining.has(id));
      if (outcome !== 'ok' && deleted.length) tally.injections.push(`${label}: refused, yet ${deleted.length} rows went`);
      if (clause.test) {
        const want = before.rows.filter(clause.test).map((row) => Number(row.OBJECTID));
        if (outcome !== 'ok' || !same(deleted, want)) tally.wrongAnswers.push(`${label}: ${JSON.stringify(answer.json).slice(0, 200)}`);
      } else if (outcome === 'ok') {
        const queried = errorCode(expected.json) === undefined ? (expected.json!.objectIds as number[]) : undefined;
        if (!queried || !same(deleted, queried)) tally.injections.push(`${label}: deleted ${deleted.length}, the same clause queries ${queried?.length ?? 'an error'}`);
      }
      if ('refuse' in clause && clause.refuse && outcome === 'ok') tally.injections.push(`${label}: accepted`);
      if (deleted.length) {
        const names = new Set(before.rows.filter((row) => deleted.includes(Number(row.OBJECTID))).map((row) => String(row.NAME)));
        const features = snapshot
          .filter((row) => names.has(String(row.NAME)))
          .map(({ OBJECTID: _id, GlobalID: _gid, ...attributes }) => ({ attributes, geometry: before.geometries.get(String(attributes.NAME)) }));
        await postForm(server, `${layer}/addFeatures`, { f: 'json', token, features: JSON.stringify(features) });
      }
      if ((await readTable()).digest !== digest) {
        tally.injections.push(`${label}: the table differs after restoring what was deleted`);
        break;
      }
    }
    tally.print('where fuzzing, deleteFeatures');
    tally.assertClean();
  }, 600_000);
});

describe('where-clause fuzzing on DeleteImage', () => {
  let server: TestServer;
  let token: string;
  let share: string;
  let itemId: string;
  const FILES = ['utm-rgb', 'wgs84-dem', 'mercator-float'];
  const rand = seededRandom(SEED + 1);
  const catalog = '/rest/services/Hosted/FuzzImages/ImageServer/query';

  beforeAll(async () => {
    server = await startTestServer();
    token = await server.token();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    await makeGeoTiffs(share);
    await registerFileShare(server, 'share', share, token);
    const created = await runJob(
      server,
      'CreateImageCollection',
      { inputRasters: { uris: FILES.map((f) => `/share/${f}.tif`) }, imageCollection: { serviceProperties: { name: 'FuzzImages' } }, rasterType: 'Raster Dataset', context: { outSR: 4326 } },
      token,
    );
    expect(created.jobStatus, JSON.stringify(created.messages)).toBe('esriJobSucceeded');
    itemId = created.results.result.value.itemId;
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  async function catalogRows(): Promise<Row[]> {
    const answer = await postForm(server, catalog, { f: 'json', token, where: '1=1', outFields: 'OBJECTID,Name', returnGeometry: 'false' });
    return (answer.json!.features as Array<{ attributes: Row }>).map((f) => f.attributes);
  }

  /** Clauses on the catalog's Name and OBJECTID, with their evaluator. */
  function catalogClause(): Clause {
    const atoms: Array<() => Clause> = [
      () => {
        const name = FILES[Math.floor(rand() * FILES.length)]!;
        return { text: `Name = '${name}'`, test: (r) => r.Name === name };
      },
      () => {
        const prefix = ['u', 'w', 'm', 'x'][Math.floor(rand() * 4)]!;
        return { text: `Name LIKE '${prefix}%'`, test: (r) => String(r.Name).startsWith(prefix) };
      },
      () => {
        const n = Math.floor(rand() * 40);
        return { text: `OBJECTID > ${n}`, test: (r) => Number(r.OBJECTID) > n };
      },
    ];
    const a = atoms[Math.floor(rand() * atoms.length)]!();
    if (rand() < 0.5) return a;
    const b = atoms[Math.floor(rand() * atoms.length)]!();
    return rand() < 0.5 ? { text: `(${a.text}) AND (${b.text})`, test: (r) => a.test!(r) && b.test!(r) } : { text: `(${a.text}) OR (${b.text})`, test: (r) => a.test!(r) || b.test!(r) };
  }

  it('deletes exactly what the same clause queries; bad clauses fail the job with a clear message', async () => {
    const tally = new Tally();
    const hostile = HOSTILE.filter((_, i) => sized(i % 4 === 0 ? 1 : 0, 1));
    const all: Array<Clause & { refuse?: boolean }> = [
      ...Array.from({ length: sized(8, 60) }, catalogClause),
      ...hostile,
      ...Array.from({ length: sized(6, 60) }, () => mutatedClause(rand)),
    ];
    for (const clause of all) {
      tally.sent++;
      const label = `DeleteImage ${clause.text.slice(0, 120)}`;
      const before = await catalogRows();
      const queried = await postForm(server, catalog, { f: 'json', token, where: clause.text, returnIdsOnly: 'true' });
      const job = await runJob(server, 'DeleteImage', { imageCollection: { itemId }, where: clause.text }, token).catch((error: Error) => {
        // Refused at submit (e.g. an empty where): no job, which is a refusal too.
        if (!/submit refused: \{"error":\{"code":400,/.test(error.message)) throw error;
        return { jobId: '', jobStatus: 'esriJobFailed', messages: [], results: {} };
      });
      const errors = job.messages.filter((m) => m.type === 'esriJobMessageTypeError').map((m) => m.description);
      if (errors.some((e) => /unexpected error/i.test(e))) tally.serverErrors.push(`${label}: ${errors[0]}`);
      const after = await catalogRows();
      const deleted = before.filter((row) => !after.some((r) => r.OBJECTID === row.OBJECTID)).map((row) => Number(row.OBJECTID));
      const queryIds = errorCode(queried.json) === undefined ? (queried.json!.objectIds as number[]) : undefined;
      if (job.jobStatus === 'esriJobSucceeded') tally.answered++;
      else if (job.jobStatus === 'esriJobFailed') tally.refused++;
      else tally.envelopeErrors.push(`${label}: ${job.jobStatus}`);
      if (clause.test) {
        const want = before.filter(clause.test).map((row) => Number(row.OBJECTID));
        if (job.jobStatus !== 'esriJobSucceeded' || !same(deleted, want)) tally.wrongAnswers.push(`${label}: ${job.jobStatus} ${JSON.stringify(errors)}`);
      } else if (job.jobStatus === 'esriJobSucceeded' ? !same(deleted, queryIds ?? []) : deleted.length > 0) {
        // A refusal deletes nothing (DeleteImage requires a where; the catalog query takes '' as all).
        tally.injections.push(`${label}: ${job.jobStatus} deleted ${deleted.length}, the same clause queries ${queryIds?.length ?? 'an error'}`);
      }
      if ('refuse' in clause && clause.refuse && job.jobStatus === 'esriJobSucceeded') tally.injections.push(`${label}: accepted`);
      if (deleted.length) {
        const names = before.filter((row) => deleted.includes(Number(row.OBJECTID))).map((row) => `/share/${row.Name}.tif`);
        const added = await runJob(server, 'AddImage', { imageCollection: { itemId }, inputRasters: { uris: names }, rasterType: 'Raster Dataset' }, token);
        expect(added.jobStatus, JSON.stringify(added.messages)).toBe('esriJobSucceeded');
      }
      const names = (await catalogRows()).map((r) => String(r.Name)).sort();
      if (JSON.stringify(names) !== JSON.stringify([...FILES].sort())) {
        tally.injections.push(`${label}: catalog is ${names.join(',')} after restoring`);
        break;
      }
    }
    tally.print('where fuzzing, DeleteImage');
    tally.assertClean();
  }, 900_000);
});
