import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressPolicy } from '../net/public-address.js';
import { assertPublicUrl, fetchInputUrl, isPublicAddress } from './public-url.js';

const REFUSED = /points to a loopback or private address/;
const strict = addressPolicy(false);

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.20.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['8.8.8.8', true],
    ['2001:4860:4860::8888', true],
    ['not-an-ip', false],
  ])('%s → %s', (address, expected) => expect(isPublicAddress(address)).toBe(expected));
});

describe('assertPublicUrl', () => {
  it('refuses loopback and private hosts, by literal or by name', async () => {
    for (const url of ['http://127.0.0.1:22/x.tif', 'http://[::1]/x.tif', 'http://localhost:6080/x.tif', 'http://169.254.169.254/latest/meta-data']) {
      await expect(assertPublicUrl(new URL(url), url, strict)).rejects.toThrow(REFUSED);
    }
  });

  it('lets them through when the administrator allows it', async () => {
    await expect(assertPublicUrl(new URL('http://127.0.0.1:22/x.tif'), 'x', addressPolicy(true))).resolves.toBeUndefined();
  });

  it('refuses a name with any private address among its answers', async () => {
    const resolver = async () => [{ address: '93.184.215.14', family: 4 }, { address: '127.0.0.1', family: 4 }];
    await expect(assertPublicUrl(new URL('http://mixed.test/x.tif'), 'u', strict, resolver)).rejects.toThrow(REFUSED);
  });

  it('says the same for any host that cannot be resolved', async () => {
    await expect(assertPublicUrl(new URL('http://no-such-host.invalid/x.tif'), 'u', strict)).rejects.toThrow("Input URL 'u' could not be read.");
  });
});

describe('fetchInputUrl', () => {
  // A secret on 127.0.0.1 and a redirector on 127.0.0.2 (all of 127/8 is loopback on Linux): the
  // policy allows the redirector's address only, as TESSERA_PRIVATE_URL_HOSTS would.
  let secret: http.Server;
  let redirector: http.Server;
  let secretUrl: string;
  let redirectorUrl: string;
  beforeAll(async () => {
    secret = http.createServer((_, response) => response.end('secret'));
    await new Promise<void>((resolve) => secret.listen(0, '127.0.0.1', resolve));
    secretUrl = `http://127.0.0.1:${(secret.address() as AddressInfo).port}/secret`;
    redirector = http.createServer((request, response) => {
      if (request.url === '/hop') response.writeHead(302, { location: secretUrl }).end();
      else if (request.url === '/named') response.writeHead(302, { location: secretUrl.replace('127.0.0.1', 'rebind.test') }).end();
      else response.end('public');
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.2', resolve));
    redirectorUrl = `http://127.0.0.2:${(redirector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    secret.close();
    redirector.close();
  });
  const policy = () => addressPolicy(false, '127.0.0.2');

  it('reads an allowed host', async () => {
    expect((await fetchInputUrl(new URL(`${redirectorUrl}/`), 'u', policy())).body.toString()).toBe('public');
  });

  it('refuses a redirect to a private address', async () => {
    await expect(fetchInputUrl(new URL(`${redirectorUrl}/hop`), 'u', policy())).rejects.toThrow(REFUSED);
  });

  it('refuses a redirect to a name that resolves to one', async () => {
    const resolver = async (host: string) => [{ address: host === 'rebind.test' ? '127.0.0.1' : host, family: 4 }];
    await expect(fetchInputUrl(new URL(`${redirectorUrl}/named`), 'u', policy(), { resolver })).rejects.toThrow(REFUSED);
  });

  it('connects to the address it checked: a name answering public, then 127.0.0.1, is refused at connect', async () => {
    // The early check sees a public answer; the connection's own lookup gets the rebound one.
    let calls = 0;
    const resolver = async () => [{ address: calls++ === 0 ? '93.184.215.14' : '127.0.0.1', family: 4 }];
    const url = new URL(secretUrl.replace('127.0.0.1', 'rebind.test'));
    await assertPublicUrl(url, 'u', strict, resolver);
    await expect(fetchInputUrl(url, 'u', strict, { resolver })).rejects.toThrow(REFUSED);
  });
});
