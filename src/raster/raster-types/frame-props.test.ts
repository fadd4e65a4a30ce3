import { describe, expect, it } from 'vitest';
import { parseBooleanProp, parseCameraProperties, parseGpsRows } from './frame-props.js';

describe('parseGpsRows', () => {
  it('reads text and number values, altitude optional, names with or without extension', () => {
    const rows = parseGpsRows([
      ['image1.jpg', '34.0069', '-117.0927', '300'],
      ['IMAGE2.JPG', 34.007, -117.0931],
    ]);
    expect(rows.get('image1.jpg')).toEqual({ name: 'image1.jpg', latitude: 34.0069, longitude: -117.0927, altitude: 300, order: 0 });
    expect(rows.get('image1')).toBe(rows.get('image1.jpg'));
    expect(rows.get('image2.jpg')).toMatchObject({ altitude: null, order: 1 });
  });

  it('accepts the rows as JSON text', () => {
    expect(parseGpsRows('[["a.jpg", 1, 2, 3]]').get('a')).toMatchObject({ latitude: 1, longitude: 2, altitude: 3 });
  });

  it.each([
    ['not a list', { a: 1 }, /list of/],
    ['short row', [['a.jpg', 1]], /row 1/],
    ['latitude out of range', [['a.jpg', 95, 0]], /row 1 \(a.jpg\)/],
    ['text that is not a number', [['a.jpg', 'north', 0]], /invalid/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => parseGpsRows(input)).toThrow(message);
  });

  it('is empty when absent', () => expect(parseGpsRows(undefined).size).toBe(0));
});

describe('parseCameraProperties', () => {
  it.each([
    [
      'documented example (PixelSize in microns)',
      { Maker: 'Canon', Model: '5D Mark II', FocalLength: 20, PixelSize: 10, x0: 0, y0: 0, columns: 4000, rows: 3000 },
      { maker: 'Canon', model: '5D Mark II', focalLengthMm: 20, pixelSizeMm: 0.01, principalPointMm: undefined, columns: 4000, rows: 3000 },
    ],
    ['PixelSize in millimetres, lower-case keys', { focallength: '8.8', pixelsize: '0.0024', x0: '0.1', y0: '-0.2' }, { focalLengthMm: 8.8, pixelSizeMm: 0.0024, principalPointMm: { x: 0.1, y: -0.2 } }],
    ['empty', undefined, {}],
  ])('%s', (_name, input, expected) => {
    expect(parseCameraProperties(input)).toMatchObject(expected);
  });
});

describe('parseBooleanProp', () => {
  it.each([
    [true, true],
    ['true', true],
    ['False', false],
    [0, false],
    ['yes', undefined],
    [undefined, undefined],
  ])('%j → %s', (input, expected) => expect(parseBooleanProp(input)).toBe(expected));
});
