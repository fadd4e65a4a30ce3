import { describe, expect, it } from 'vitest';
import { gdalOpenPath } from '../raster/gdal-egress.js';
import { addSelfOrigins, isSelfRequest, isSelfUrl, SELF_REQUEST_HEADER, selfRequestSecret } from './self-requests.js';

describe('self requests', () => {
  it('knows the secret only: a missing, wrong or shortened header is a client', () => {
    const secret = selfRequestSecret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(isSelfRequest({ [SELF_REQUEST_HEADER]: secret })).toBe(true);
    expect(isSelfRequest({})).toBe(false);
    expect(isSelfRequest({ [SELF_REQUEST_HEADER]: secret.slice(1) })).toBe(false);
    expect(isSelfRequest({ [SELF_REQUEST_HEADER]: `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}` })).toBe(false);
    expect(isSelfRequest({ [SELF_REQUEST_HEADER]: [secret, secret] })).toBe(false);
  });

  it("marks GDAL's reads of this server's own origins only, without the secret in the path", () => {
    const url = 'http://127.0.0.1:18321/arcgis/rest/services/Hosted/a/ImageServer/exportImage?bbox=0,0,1,1&f=image';
    expect(isSelfUrl(url)).toBe(false);
    const remove = addSelfOrigins('127.0.0.1', 18321);
    try {
      expect(isSelfUrl(url)).toBe(true);
      expect(isSelfUrl(url.replace('127.0.0.1', 'localhost'))).toBe(true);
      expect(isSelfUrl(url.replace('18321', '18322'))).toBe(false);
      expect(isSelfUrl(url.replace('127.0.0.1', 'example.com'))).toBe(false);
      const opened = gdalOpenPath(`/vsicurl/${url}`);
      const [, encoded] = /^\/vsicurl\?empty_dir=yes&url=([^&]+)&header_file=\/vsimem\/[^&/]+$/.exec(opened) ?? [];
      expect(decodeURIComponent(encoded!)).toBe(url);
      expect(opened).not.toContain(selfRequestSecret());
      const other = `/vsicurl/${url.replace('127.0.0.1', 'example.com')}`;
      expect(gdalOpenPath(other)).toBe(other);
      expect(gdalOpenPath('/data/a.tif')).toBe('/data/a.tif');
    } finally {
      remove();
    }
    expect(isSelfUrl(url)).toBe(false);
  });
});
