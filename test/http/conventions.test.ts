import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, type ErrorAnswer, type ResourceJson } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('rest/info and the catalog', () => {
  it('answers rest/info with version and token service', async () => {
    const info = await server.get<ResourceJson>('/rest/info?f=json');
    expect(info.currentVersion).toBe(11.3);
    expect(info.owningSystemUrl).toBe(server.url);
    expect(info.authInfo).toEqual({
      isTokenBasedSecurity: true,
      tokenServicesUrl: `${server.url}/sharing/rest/generateToken`,
      shortLivedTokenValidity: 60,
    });
  });

  it('reports the time spent in the server as Server-Timing', async () => {
    const response = await fetch(`${server.url}/rest/info?f=json`);
    expect(response.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d{2}$/);
  });

  it('indents f=pjson and otherwise matches f=json', async () => {
    const json = await (await fetch(`${server.url}/rest/info?f=json`)).text();
    const pjson = await (await fetch(`${server.url}/rest/info?f=pjson`)).text();
    expect(pjson).toContain('\n  "currentVersion"');
    expect(JSON.parse(pjson)).toEqual(JSON.parse(json));
  });

  it('serves HTML by default to browsers and JSON to API clients without f', async () => {
    const html = await fetch(`${server.url}/rest/services`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('Tessera Services Directory');
    const json = await fetch(`${server.url}/rest/services`);
    expect(await json.json()).toHaveProperty('currentVersion');
  });

  it('wraps JSONP when callback is given, and refuses a non-identifier callback', async () => {
    const text = await (await fetch(`${server.url}/rest/info?f=json&callback=cb`)).text();
    expect(text).toMatch(/^cb\(\{.*\}\);$/);
    const bad = await server.get<ErrorAnswer>('/rest/info?f=json&callback=alert(1)');
    expect(bad.error.code).toBe(400);
  });

  it('accepts POST form bodies the same as GET', async () => {
    expect(await server.post('/rest/info', { f: 'json' })).toEqual(await server.get('/rest/info?f=json'));
  });
});

describe('errors', () => {
  it('answers unknown routes with the 404 envelope and HTTP 200', async () => {
    const response = await fetch(`${server.url}/rest/nothing/here?f=json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error: { code: 404, message: 'Not Found', details: ['Invalid URL'] } });
  });

  it('answers an unsupported f with a 400 envelope', async () => {
    const body = await server.get<ErrorAnswer>('/rest/info?f=kmz');
    expect(body.error.code).toBe(400);
  });

  it('answers an unknown folder with a 404 envelope', async () => {
    const body = await server.get<ErrorAnswer>('/rest/services/NoSuchFolder?f=json');
    expect(body.error).toMatchObject({ code: 404, details: ["Folder 'NoSuchFolder' does not exist."] });
  });

  it('never leaks a stack trace for a malformed body', async () => {
    const response = await fetch(`${server.url}/rest/info?f=json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    const body = await readJson<ErrorAnswer>(response);
    expect(body.error.code).toBe(400);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('sends CORS headers for browser clients', async () => {
    const response = await fetch(`${server.url}/rest/info?f=json`, { headers: { origin: 'https://app.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('gzips large responses when asked', async () => {
    const response = await fetch(`${server.url}/rest/services?f=html`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
  });
});

describe('real HTTP statuses when configured', () => {
  it('sends the error code as the HTTP status', async () => {
    const strict = await startTestServer({ httpErrorStatus: true });
    try {
      const response = await fetch(`${strict.url}/rest/nothing?f=json`);
      expect(response.status).toBe(404);
    } finally {
      await strict.close();
    }
  });
});

describe('uploads', () => {
  it('refuses a bad token in the URL of a multipart upload before storing anything', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(1024 * 1024)]), 'big.bin');
    form.append('f', 'json');
    const response = await fetch(`${server.url}/sharing/rest/content/users/admin/addItem?token=forged.token`, { method: 'POST', body: form });
    expect((await readJson<ErrorAnswer>(response)).error.code).toBe(498);
  });
});
