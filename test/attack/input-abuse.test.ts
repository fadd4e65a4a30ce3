import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from '../http/features-helpers.js';
import { errorCode, sized } from './attack-size.js';
import { makeZip } from './zip-file.js';
import { defaultConfig } from '../../src/config.js';
import { readJson, type ErrorAnswer } from '../helpers/answers.js';

/**
 * Input abuse: bodies, geometries, JSON depth, file names and archives. Every answer must be
 * JSON in the ArcGIS envelope with a 4xx code (never a 5xx), and the server must keep answering
 * `rest/info` afterwards.
 */
let server: TestServer;
let token: string;
let layer: string;
const counts = { cases: 0, refused: 0, answered: 0, serverErrors: [] as string[] };

beforeAll(async () => {
  server = await startTestServer({ limits: { ...defaultConfig().limits, bodyMB: 2, editBodyMB: 8, geometryVertices: 100_000, geometryMB: 1 } });
  token = await server.token();
  await server.addUser('pub', 'publisher');
  layer = `${await createGridService(server, token, 'Abuse')}/0`;
});
afterAll(async () => {
  console.log(`input abuse: ${counts.cases} cases, ${counts.refused} refused with 4xx, ${counts.answered} answered, ${counts.serverErrors.length} 5xx`);
  await server?.close();
});

async function send(label: string, target: string, body: BodyInit, headers: Record<string, string> = {}): Promise<{ code?: number; json: AbuseAnswer }> {
  counts.cases++;
  let json: AbuseAnswer;
  let status = 0;
  try {
    const response = await fetch(`${server.url}${target}`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
    status = response.status;
    json = JSON.parse(await response.text()) as AbuseAnswer;
  } catch (error) {
    json = { transport: String(error) };
  }
  const code = errorCode(json);
  if (status >= 500 || (code ?? 0) >= 500 || json.transport) counts.serverErrors.push(`${label}: ${status} ${JSON.stringify(json).slice(0, 200)}`);
  else if (code !== undefined) counts.refused++;
  else counts.answered++;
  const info = await fetch(`${server.url}/rest/info?f=json`).then((r) => readJson<{ currentVersion?: number }>(r));
  expect(info.currentVersion, `${label}: the server stopped answering`).toBeDefined();
  return { code, json };
}

/** Any answer: an error envelope, an item added, or a transport failure. */
type AbuseAnswer = Partial<ErrorAnswer> & { id?: string; transport?: string };

const form = (values: Record<string, string>) => new URLSearchParams(values);

describe('bodies', () => {
  it('refuses bodies over the route limit, whatever their encoding', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    expect((await send('form', `${layer}/query`, form({ f: 'json', where: big }))).code).toBe(413);
    expect((await send('json', `${layer}/query`, JSON.stringify({ where: big }), { 'content-type': 'application/json' })).code).toBe(413);
    const multipart = new FormData();
    multipart.set('f', 'json');
    multipart.set('where', big);
    expect((await send('multipart field', `${layer}/query`, multipart)).code).toBe(413);
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 48; i++) controller.enqueue(new TextEncoder().encode(`a${i}=${'y'.repeat(64 * 1024)}&`));
        controller.close();
      },
    });
    expect((await send('chunked', `${layer}/query`, chunks, { 'content-type': 'application/x-www-form-urlencoded' })).code).toBe(413);
    expect((await send('edits', `${layer}/applyEdits`, form({ f: 'json', token, adds: 'z'.repeat(9 * 1024 * 1024) }))).code).toBe(413);
  });

  it('refuses unknown content types and malformed bodies with 4xx', async () => {
    for (const [type, body] of [
      ['application/json', '{"where":'],
      ['application/json', '[1,2'],
      ['application/octet-stream', 'abc'],
      ['text/xml', '<a/>'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="f"\r\n\r\njson\r\n--x'],
      ['application/x-www-form-urlencoded', '%%%=%%%&f=json'],
    ] as const) {
      const answer = await send(`content ${type}`, `${layer}/query`, body, { 'content-type': type });
      expect(answer.code, `${type}: ${JSON.stringify(answer.json)}`).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('geometries', () => {
  const polygon = (n: number) => JSON.stringify({ rings: [[...Array.from({ length: n }, (_, i) => [(i % 1000) / 100, Math.floor(i / 1000) / 100]), [0, 0]]] });

  it('refuses geometries over the caps and malformed ones with 400', async () => {
    const cases: Array<[string, string]> = [
      ['vertices', JSON.stringify({ rings: [Array.from({ length: 110_000 }, (_, i) => [i % 9, 1])] })],
      ['bytes', JSON.stringify({ rings: [[[0, 0], [1, 1], [0, 0]]], pad: 'x'.repeat(1.5 * 1024 * 1024) })],
      ['infinite point', '{"x":1,"y":1e400}'],
      ['empty point', '{"x":"NaN","y":1e400}'],
      ['infinite', '{"rings":[[[0,0],[1e400,0],[0,1],[0,0]]]}'],
      ['strings', '{"rings":"abc"}'],
      ['nested', '{"rings":[[[[[[[0,0]]]]]]]}'],
      ['deep', `{"rings":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
      ['envelope', '{"xmin":"a","ymin":0,"xmax":1,"ymax":1}'],
      ['simple', '1,2,3'],
      ['huge numbers', '{"x":1e308,"y":-1e308}'],
    ];
    for (const [label, geometry] of cases) {
      const answer = await send(`geometry ${label}`, `${layer}/query`, form({ f: 'json', token, geometry, where: '1=1', returnCountOnly: 'true' }));
      // An empty point ("NaN", as Esri JSON writes it) and large finite numbers are valid filters.
      if (label !== 'huge numbers' && label !== 'empty point') expect(answer.code, label).toBe(400);
    }
  });

  it('answers a geometry just below the cap', async () => {
    const answer = await send('geometry below cap', `${layer}/query`, form({ f: 'json', token, geometry: polygon(sized(20_000, 60_000)), geometryType: 'esriGeometryPolygon', returnCountOnly: 'true' }));
    expect(answer.code).toBeUndefined();
  });
});

describe('JSON depth', () => {
  const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
  for (const [name, target] of [
    ['objectIds', 'query'],
    ['outFields', 'query'],
    ['orderByFields', 'query'],
    ['outStatistics', 'query'],
    ['outSR', 'query'],
    ['inSR', 'query'],
    ['quantizationParameters', 'query'],
    ['features', 'addFeatures'],
    ['features', 'updateFeatures'],
    ['adds', 'applyEdits'],
    ['updates', 'applyEdits'],
    ['deletes', 'applyEdits'],
    ['objectIds', 'deleteFeatures'],
  ] as const) {
    it(`refuses 10,000 levels in ${name} (${target})`, async () => {
      const answer = await send(`depth ${name}`, `${layer}/${target}`, form({ f: 'json', token, where: '1=1', [name]: deep(10_000) }));
      expect(answer.code).toBe(400);
    });
  }

  it('refuses depth in portal and GP parameters too', async () => {
    const item = await send('depth createService', '/sharing/rest/content/users/admin/createService', form({ f: 'json', token, createParameters: `{"a":${deep(10_000)}}` }));
    expect(item.code).toBe(400);
    const job = await send('depth submitJob', '/rest/services/System/RasterAnalysisTools/GPServer/DeleteImage/submitJob', form({ f: 'json', token, imageCollection: `{"a":${deep(10_000)}}`, where: '1=1' }));
    expect(job.code ?? 0).toBeLessThan(500);
  });
});

describe('file names and archives', () => {
  const upload = async (label: string, fileName: string, data: Buffer, extra: Record<string, string> = {}) => {
    const body = new FormData();
    body.set('f', 'json');
    body.set('token', token);
    body.set('title', label);
    for (const [k, v] of Object.entries(extra)) body.set(k, v);
    body.set('file', new Blob([new Uint8Array(data)]), fileName);
    return send(`upload ${label}`, '/sharing/rest/content/users/admin/addItem', body);
  };

  it('keeps uploaded files inside the data directory, under safe names', async () => {
    const names = ['../../../../tmp/tessera-escape.csv', '/etc/passwd', '..\\..\\win.csv', 'a\u0000b.csv', `${'n'.repeat(5000)}.csv`, '\u202egpj.exe', 'CON', '.hidden', '....', ''];
    for (const name of names) {
      const answer = await upload(`name ${name.slice(0, 20)}`, name, Buffer.from('a,b\n1,2\n'), { type: 'CSV' });
      if (answer.code === undefined) {
        const item = await server.get<{ name?: string }>(`/sharing/rest/content/items/${answer.json.id}?f=json&token=${token}`);
        expect(item.name ?? '').not.toMatch(/[/\\\u0000]|^\.|^$/);
      }
    }
    expect(existsSync('/tmp/tessera-escape.csv')).toBe(false);
    const files = readdirSync(server.dataDir, { recursive: true }).map(String);
    expect(files.filter((f) => path.basename(f) === 'passwd' && !f.includes('items'))).toEqual([]);
  });

  it('refuses hostile archives when publishing, writing nothing outside', async () => {
    const archives: Array<[string, Buffer]> = [
      ['traversal', makeZip([{ name: '../../../../tmp/tessera-zip-escape.shp', data: Buffer.alloc(100) }, { name: '/abs.dbf', data: Buffer.alloc(10) }])],
      ['bomb', makeZip([{ name: 'x.shp', data: Buffer.alloc(sized(32, 256) * 1024 * 1024) }, { name: 'x.dbf', data: Buffer.alloc(1024) }])],
      ['empty', makeZip([])],
      ['truncated', makeZip([{ name: 'x.shp', data: Buffer.alloc(1000, 7) }]).subarray(0, 60)],
      ['nested', makeZip([{ name: 'inner.zip', data: makeZip([{ name: 'x.shp', data: Buffer.alloc(100) }]) }])],
      ['not a zip', Buffer.from('PK not really')],
    ];
    for (const [label, data] of archives) {
      const added = await upload(`zip ${label}`, `${label}.zip`, data, { type: 'Shapefile' });
      if (added.code !== undefined) continue;
      const published = await send(
        `publish ${label}`,
        '/sharing/rest/content/users/admin/publish',
        form({ f: 'json', token, itemId: added.json.id!, filetype: 'shapefile', publishParameters: JSON.stringify({ name: `zip_${label}` }) }),
      );
      expect(published.code, `${label}: ${JSON.stringify(published.json)}`).toBe(400);
    }
    expect(existsSync('/tmp/tessera-zip-escape.shp')).toBe(false);
  });

  it('had no 5xx', () => {
    expect(counts.serverErrors).toEqual([]);
  });
});
