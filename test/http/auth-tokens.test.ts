import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/auth/tokens.js';
import type { ErrorAnswer, Item, TokenReply, UserJson } from '../helpers/answers.js';
import { ADMIN, startTestServer, type TestServer } from '../helpers/test-server.js';

const BAD_CREDENTIALS = { error: { code: 400, message: 'Unable to generate token.', details: ['Invalid username or password.'] } };
const INVALID_TOKEN = { error: { code: 498, message: 'Invalid Token', details: [] } };
const TOKEN_REQUIRED = { error: { code: 499, message: 'Token Required', details: [] } };

let server: TestServer;
let privateItem: string;
let publicItem: string;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('ana', 'publisher');
  await server.addUser('bob', 'user');
  const ana = await server.token('ana', 'ana-pw');
  privateItem = (await server.post<Item>('/sharing/rest/content/users/ana/addItem', { f: 'json', token: ana, title: 'P', type: 'CSV', text: 'x' })).id;
  publicItem = (await server.post<Item>('/sharing/rest/content/users/ana/addItem', { f: 'json', token: ana, title: 'Q', type: 'CSV', text: 'y', access: 'public' })).id;
});
afterAll(async () => server.close());

const self = (token: string, headers: Record<string, string> = {}) => server.get<UserJson>(`/sharing/rest/community/self?f=json&token=${token}`, headers);

/** A token signed with the server's own secret, for claims generateToken would never issue. */
async function signToken(claims: { username: string; expires: number; binding?: string; tokenVersion?: number }): Promise<string> {
  const secret = await server.context.stores.settings.get('token-secret');
  return new TokenSigner(Buffer.from(secret!, 'base64')).sign({ binding: '', tokenVersion: 0, ...claims });
}

describe('generateToken', () => {
  it('issues a token expiring after the default hour', async () => {
    const before = Date.now();
    const result = await server.post<TokenReply>('/sharing/rest/generateToken', { username: 'ana', password: 'ana-pw', f: 'json' });
    expect(result).toEqual({ token: expect.any(String) as unknown, expires: expect.any(Number) as unknown, ssl: false });
    expect(result.expires).toBeGreaterThanOrEqual(before + 60 * 60_000);
    expect(result.expires).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
  });

  it('honours expiration in minutes, capped at the configured maximum', async () => {
    const short = await server.post<TokenReply>('/sharing/rest/generateToken', { username: 'ana', password: 'ana-pw', expiration: 5, f: 'json' });
    expect(short.expires - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(short.expires - Date.now()).toBeGreaterThan(4 * 60_000);
    const long = await server.post<TokenReply>('/sharing/rest/generateToken', { username: 'ana', password: 'ana-pw', expiration: 10 ** 9, f: 'json' });
    expect(long.expires - Date.now()).toBeLessThanOrEqual(server.context.config.tokens.maxMinutes * 60_000);
  });

  it('answers the same on the server token service', async () => {
    const result = await server.post<TokenReply>('/tokens/generateToken', { username: 'bob', password: 'bob-pw', f: 'json' });
    expect((await self(result.token)).username).toBe('bob');
  });

  it('refuses GET so credentials stay out of URLs', async () => {
    const result = await server.get<ErrorAnswer>('/sharing/rest/generateToken?username=ana&password=ana-pw&f=json');
    expect(result.error).toMatchObject({ code: 400, message: 'Unable to generate token.' });
    expect(result.error.details[0]).toMatch(/POST/);
  });

  it('says the same for a wrong password and an unknown user', async () => {
    expect(await server.post('/sharing/rest/generateToken', { username: 'ana', password: 'wrong', f: 'json' })).toEqual(BAD_CREDENTIALS);
    expect(await server.post('/sharing/rest/generateToken', { username: 'nobody', password: 'x', f: 'json' })).toEqual(BAD_CREDENTIALS);
    // A success clears the failures so later tests from this address are not slowed down.
    await server.token('ana', 'ana-pw');
  });

  it('gives admin tokens to administrators only', async () => {
    expect((await server.post<ErrorAnswer>('/admin/generateToken', { username: 'bob', password: 'bob-pw', f: 'json' })).error.code).toBe(400);
    expect((await server.post<TokenReply>('/admin/generateToken', { ...ADMIN, f: 'json' })).token).toEqual(expect.any(String));
  });
});

describe('sending a token', () => {
  it('accepts the token as parameter, X-Esri-Authorization or Authorization: Bearer', async () => {
    const token = await server.token('bob', 'bob-pw');
    expect((await self(token)).username).toBe('bob');
    expect((await server.post<UserJson>('/sharing/rest/community/self', { f: 'json', token })).username).toBe('bob');
    const esri = await server.get<UserJson>('/sharing/rest/community/self?f=json', { 'X-Esri-Authorization': `Bearer ${token}` });
    expect(esri.username).toBe('bob');
    const bearer = await server.get<UserJson>('/sharing/rest/community/self?f=json', { Authorization: `Bearer ${token}` });
    expect(bearer.username).toBe('bob');
  });

  it('answers 499 for a private resource without a token, and not for a public one', async () => {
    expect(await server.get('/sharing/rest/community/self?f=json')).toEqual(TOKEN_REQUIRED);
    expect(await server.get(`/sharing/rest/content/items/${privateItem}?f=json`)).toEqual(TOKEN_REQUIRED);
    expect((await server.get<Item>(`/sharing/rest/content/items/${publicItem}?f=json`)).id).toBe(publicItem);
  });

  it('answers 498 for a bad token on public and private resources alike', async () => {
    expect(await server.get(`/sharing/rest/content/items/${publicItem}?f=json&token=not-a-token`)).toEqual(INVALID_TOKEN);
    expect(await server.get(`/sharing/rest/content/items/${privateItem}?f=json&token=not-a-token`)).toEqual(INVALID_TOKEN);
    expect(await server.get('/rest/info?f=json&token=not-a-token')).toEqual(INVALID_TOKEN);
    expect(await server.get('/sharing/rest/community/self?f=json', { Authorization: 'Bearer garbage' })).toEqual(INVALID_TOKEN);
  });

  it('answers 498 for an expired token', async () => {
    const valid = await signToken({ username: 'ana', expires: Date.now() + 60_000 });
    expect((await self(valid)).username).toBe('ana');
    const expired = await signToken({ username: 'ana', expires: Date.now() - 1000 });
    expect(await self(expired)).toEqual(INVALID_TOKEN);
    expect(await server.get(`/sharing/rest/content/items/${publicItem}?f=json&token=${expired}`)).toEqual(INVALID_TOKEN);
  });

  it('answers 498 for a token of a user that does not exist', async () => {
    expect(await self(await signToken({ username: 'ghost', expires: Date.now() + 60_000 }))).toEqual(INVALID_TOKEN);
  });

  it('revokes earlier tokens when the token version is bumped (password change)', async () => {
    await server.addUser('carl', 'user');
    const old = await server.token('carl', 'carl-pw');
    expect((await self(old)).username).toBe('carl');
    await server.context.stores.users.bumpTokenVersion('carl');
    expect(await self(old)).toEqual(INVALID_TOKEN);
    expect((await self(await server.token('carl', 'carl-pw'))).username).toBe('carl');
  });

  it('answers 403 for another user’s private item', async () => {
    const bob = await server.token('bob', 'bob-pw');
    const result = await server.get<unknown>(`/sharing/rest/content/items/${privateItem}?f=json&token=${bob}`);
    expect(result).toEqual({
      error: { code: 403, message: 'You do not have permissions to access this resource or perform this operation.', details: [], messageCode: 'GWM_0003' },
    });
  });
});

describe('bound tokens', () => {
  it('binds a referer token to its origin', async () => {
    const token = await server.token('ana', 'ana-pw', { client: 'referer', referer: 'https://a.example' });
    expect((await self(token, { Referer: 'https://a.example/page' })).username).toBe('ana');
    expect(await self(token, { Referer: 'https://b.example/page' })).toEqual(INVALID_TOKEN);
    expect(await self(token)).toEqual(INVALID_TOKEN);
  });

  it('binds a requestip token to the caller address', async () => {
    const token = await server.token('ana', 'ana-pw', { client: 'requestip' });
    expect((await self(token)).username).toBe('ana');
    const elsewhere = await server.token('ana', 'ana-pw', { client: 'ip', ip: '203.0.113.9' });
    expect(await self(elsewhere)).toEqual(INVALID_TOKEN);
  });

  it('requires a referer when client=referer', async () => {
    const result = await server.post<ErrorAnswer>('/sharing/rest/generateToken', { username: 'ana', password: 'ana-pw', client: 'referer', f: 'json' });
    expect(result.error.code).toBe(400);
  });
});

describe('password guessing', () => {
  it('backs off after repeated failures, even for the right password', async () => {
    const isolated = await startTestServer();
    try {
      await isolated.addUser('eve', 'user');
      for (let i = 0; i < 6; i++) {
        await isolated.post('/sharing/rest/generateToken', { username: 'eve', password: `guess-${i}`, f: 'json' });
      }
      const right = await isolated.post<unknown>('/sharing/rest/generateToken', { username: 'eve', password: 'eve-pw', f: 'json' });
      expect(right).toEqual({ error: { code: 400, message: 'Unable to generate token.', details: ['Too many invalid logon attempts. Try again later.'] } });
    } finally {
      await isolated.close();
    }
  });
});
