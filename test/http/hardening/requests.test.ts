import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, type ErrorAnswer, type ResourceJson, type TokenReply, type UserJson } from '../../helpers/answers.js';
import { ADMIN, startTestServer, type TestServer } from '../../helpers/test-server.js';
import { defaultConfig } from '../../../src/config.js';

const TOO_LARGE = { error: { code: 413, message: 'Request Entity Too Large', details: ['The request body is larger than this operation allows.'] } };
const INVALID_TOKEN = { error: { code: 498, message: 'Invalid Token', details: [] } };
const TOKEN_REQUIRED = { error: { code: 499, message: 'Token Required', details: [] } };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { ...defaultConfig().limits, bodyMB: 1, editBodyMB: 3, geometryVertices: 250_000, geometryMB: 8 } });
  await server.addUser('ana', 'publisher');
});
afterAll(async () => server.close());

async function postRaw<T = unknown>(target: string, body: string | FormData, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${target}`, {
    method: 'POST',
    body,
    headers: typeof body === 'string' ? { 'content-type': 'application/x-www-form-urlencoded', ...headers } : headers,
  });
  return { status: response.status, connection: response.headers.get('connection'), json: await readJson<T>(response) };
}

describe('body limits per route', () => {
  it('refuses a form body over the limit with 413 in the envelope, before any token check', async () => {
    const body = `f=json&where=${'x'.repeat(1.5 * 1024 * 1024)}`;
    const answer = await postRaw('/rest/info', body);
    expect(answer.json).toEqual(TOO_LARGE);
    expect(answer.connection).toBe('close');
    expect((await server.get<ResourceJson>('/rest/info?f=json')).currentVersion).toBeDefined();
  });

  it('refuses JSON bodies over the limit too', async () => {
    const answer = await postRaw('/sharing/rest/search', JSON.stringify({ q: 'x'.repeat(1.5 * 1024 * 1024) }), { 'content-type': 'application/json' });
    expect(answer.json).toEqual(TOO_LARGE);
  });

  it('gives edit operations their own, larger limit', async () => {
    const token = await server.token();
    const body = `f=json&token=${token}&features=${encodeURIComponent(JSON.stringify([{ attributes: { pad: 'x'.repeat(1.5 * 1024 * 1024) } }]))}`;
    const edits = await postRaw<ErrorAnswer>('/rest/services/Hosted/Nothing/FeatureServer/0/addFeatures', body);
    expect(edits.json.error.code).not.toBe(413);
    const huge = `f=json&token=${token}&features=${'x'.repeat(3.5 * 1024 * 1024)}`;
    expect((await postRaw('/rest/services/Hosted/Nothing/FeatureServer/0/addFeatures', huge)).json).toEqual(TOO_LARGE);
  });

  it('writes no uploaded file for an anonymous multipart request', async () => {
    const form = new FormData();
    form.set('f', 'json');
    form.set('title', 'x');
    form.set('file', new Blob([Buffer.alloc(256 * 1024, 1)]), 'big.bin');
    const answer = await postRaw('/sharing/rest/content/users/ana/addItem', form);
    expect(answer.json).toEqual(TOKEN_REQUIRED);
    const uploads = await readdir(path.join(server.dataDir, 'tmp', 'uploads')).catch(() => []);
    expect(uploads).toEqual([]);
  });

  it('still takes an upload whose token field comes before the file', async () => {
    const token = await server.token('ana', 'ana-pw');
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', token);
    form.set('title', 'upload');
    form.set('type', 'CSV');
    form.set('file', new Blob(['a,b\n1,2\n']), 'small.csv');
    const answer = await postRaw('/sharing/rest/content/users/ana/addItem', form);
    expect(answer.json).toMatchObject({ success: true });
  });

  it('refuses multipart fields over the route limit', async () => {
    const form = new FormData();
    form.set('f', 'json');
    form.set('q', 'x'.repeat(1.5 * 1024 * 1024));
    expect((await postRaw('/sharing/rest/search', form)).json).toEqual(TOO_LARGE);
  });
});

describe('forwarded addresses', () => {
  it('ignores X-Forwarded-For by default, so an IP-bound token cannot be replayed from elsewhere', async () => {
    const { token } = await server.post<TokenReply>('/sharing/rest/generateToken', { username: 'ana', password: 'ana-pw', client: 'ip', ip: '10.9.9.9', f: 'json' });
    const self = await server.get<unknown>(`/sharing/rest/community/self?f=json&token=${token}`, { 'X-Forwarded-For': '10.9.9.9' });
    expect(self).toEqual(INVALID_TOKEN);
    const minted = await server.post<TokenReply>('/sharing/rest/generateToken', { username: 'ana', password: 'ana-pw', client: 'requestip', f: 'json' }, { 'X-Forwarded-For': '10.9.9.9' });
    expect((await server.get<UserJson>(`/sharing/rest/community/self?f=json&token=${minted.token}`)).username).toBe('ana');
  });

  it('believes it from configured proxies only (TESSERA_TRUST_PROXY)', async () => {
    const proxied = await startTestServer({ trustProxy: '127.0.0.1' });
    try {
      const { token } = await proxied.post<TokenReply>('/sharing/rest/generateToken', { ...ADMIN, client: 'ip', ip: '10.9.9.9', f: 'json' });
      expect((await proxied.get<UserJson>(`/sharing/rest/community/self?f=json&token=${token}`, { 'X-Forwarded-For': '10.9.9.9' })).username).toBe('admin');
      expect(await proxied.get(`/sharing/rest/community/self?f=json&token=${token}`)).toEqual(INVALID_TOKEN);
    } finally {
      await proxied.close();
    }
  });
});

describe('login throttling', () => {
  it('slows the guessing address without locking the account for anyone else', async () => {
    const proxied = await startTestServer({ trustProxy: '127.0.0.1' });
    try {
      const attempt = (password: string, ip: string) =>
        proxied.post<TokenReply>('/sharing/rest/generateToken', { username: 'admin', password, f: 'json' }, { 'X-Forwarded-For': ip });
      await Promise.all(Array.from({ length: 10 }, () => attempt('wrong', '10.0.0.66')));
      expect((await attempt(ADMIN.password, '10.0.0.66')).error.details).toEqual(['Too many invalid logon attempts. Try again later.']);
      expect((await attempt(ADMIN.password, '10.0.0.7')).token).toEqual(expect.any(String));
    } finally {
      await proxied.close();
    }
  });
});
