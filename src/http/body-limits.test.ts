import { describe, expect, it } from 'vitest';
import { bodyLimitFor, trustedProxies } from './body-limits.js';
import { jsonTooDeep } from '../json-depth.js';

const LIMITS = { bodyMB: 10, editBodyMB: 100, geometryVertices: 1000, geometryMB: 8, publishSyncMB: 16 };

describe('bodyLimitFor', () => {
  it.each([
    ['/arcgis/rest/services/:folder/:service/FeatureServer/:layerId/query', 10],
    ['/arcgis/rest/services/:folder/:service/FeatureServer/:layerId/applyEdits', 100],
    ['/arcgis/rest/services/:folder/:service/FeatureServer/applyEdits', 100],
    ['/arcgis/sharing/rest/content/users/:username/addItem', 100],
    ['/arcgis/sharing/rest/generateToken', 10],
  ])('%s → %i MB', (url, mb) => expect(bodyLimitFor(url, LIMITS)).toBe(mb * 1024 * 1024));
});

describe('trustedProxies', () => {
  it('believes no forwarded header by default', () => {
    expect(trustedProxies('')).toBe(false);
    expect(trustedProxies(' , ')).toBe(false);
  });
  it('lists configured proxies', () => expect(trustedProxies('10.0.0.1, loopback ,192.168.0.0/16')).toEqual(['10.0.0.1', 'loopback', '192.168.0.0/16']));
});

describe('jsonTooDeep', () => {
  it.each([
    ['[[[1]]]', 3, false],
    ['[[[[1]]]]', 3, true],
    ['{"a":"[[[[[[["}', 2, false],
    ['{"a":"\\"[[[["}', 2, false],
    ['[1,[2],[3,[4]]]', 3, false],
  ])('%s (limit %i) → %s', (text, limit, deep) => expect(jsonTooDeep(text, limit)).toBe(deep));
});
