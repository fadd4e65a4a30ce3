import { describe, expect, it } from 'vitest';
import { assertPublicUrl, isPublicAddress } from './public-url.js';

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
      await expect(assertPublicUrl(new URL(url), url, false)).rejects.toThrow(/loopback or private address/);
    }
  });

  it('lets them through when the administrator allows it', async () => {
    await expect(assertPublicUrl(new URL('http://127.0.0.1:22/x.tif'), 'x', true)).resolves.toBeUndefined();
  });

  it('says the same for any host that cannot be resolved', async () => {
    await expect(assertPublicUrl(new URL('http://no-such-host.invalid/x.tif'), 'u', false)).rejects.toThrow("Input URL 'u' could not be read.");
  });
});
