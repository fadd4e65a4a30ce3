import { describe, expect, it } from 'vitest';
import { Params } from '../params.js';
import { readItemFields } from './item-fields.js';

describe('readItemFields', () => {
  it.each<[string, Record<string, string>, object]>([
    ['nothing', {}, {}],
    ['empty values are not given', { title: '', tags: '' }, {}],
    ['title trimmed, type', { title: ' Roads ', type: 'GeoJson' }, { title: 'Roads', type: 'GeoJson' }],
    ['comma lists', { tags: 'a, b ,c', typeKeywords: 'Data,Raster' }, { tags: ['a', 'b', 'c'], typeKeywords: ['Data', 'Raster'] }],
    ['JSON lists', { tags: '["a","b"]' }, { tags: ['a', 'b'] }],
    ['extent as text', { extent: '-10, 40.5, 5, 50' }, { extent: [[-10, 40.5], [5, 50]] }],
    ['extent as pairs', { extent: '[[-10,40],[5,50]]' }, { extent: [[-10, 40], [5, 50]] }],
    ['extent as envelope', { extent: '{"xmin":1,"ymin":2,"xmax":3,"ymax":4}' }, { extent: [[1, 2], [3, 4]] }],
    ['spatial reference text', { spatialReference: '102100' }, { spatialReference: '102100' }],
    ['spatial reference JSON', { spatialReference: '{"wkid":102100,"latestWkid":3857}' }, { spatialReference: '3857' }],
    ['properties', { properties: '{"a":1}' }, { properties: { a: 1 } }],
    ['access any case', { access: 'Public' }, { access: 'public' }],
    ['url and text', { url: 'https://x/FeatureServer', text: '{"a":1}' }, { url: 'https://x/FeatureServer', text: '{"a":1}' }],
    ['parameter names any case', { TITLE: 'T', SNIPPET: 's', Description: 'd' }, { title: 'T', snippet: 's', description: 'd' }],
  ])('%s', (_label, input, expected) => {
    expect(readItemFields(new Params(input))).toEqual(expected);
  });

  it.each([
    ['extent with three numbers', { extent: '1,2,3' }, "'extent' parameter is invalid"],
    ['extent with words', { extent: 'a,b,c,d' }, "'extent' parameter is invalid"],
    ['properties not an object', { properties: '[1]' }, "'properties' parameter is invalid"],
    ['properties not JSON', { properties: '{x' }, "'properties' parameter is invalid"],
    ['unknown access', { access: 'everyone' }, "'access' parameter is invalid"],
  ])('refuses %s', (_label, input, detail) => {
    expect(() => readItemFields(new Params(input))).toThrow(
      expect.objectContaining({ code: 400, details: [expect.stringContaining(detail)] }),
    );
  });
});
