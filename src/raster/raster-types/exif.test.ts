import { describe, expect, it } from 'vitest';
import { parseExifCamera, parseExifDate, parseExifNumbers, parseExifPosition } from './exif.js';

describe('parseExifNumbers', () => {
  it.each([
    ['(34) (0) (24.84)', [34, 0, 24.84]],
    ['(8.8)', [8.8]],
    ['300', [300]],
    [undefined, []],
  ])('%s → %j', (input, expected) => expect(parseExifNumbers(input)).toEqual(expected));
});

describe('parseExifPosition', () => {
  it.each([
    [
      'north-west with altitude',
      { EXIF_GPSLatitude: '(34) (0) (24.84)', EXIF_GPSLatitudeRef: 'N', EXIF_GPSLongitude: '(117) (5) (33.72)', EXIF_GPSLongitudeRef: 'W', EXIF_GPSAltitude: '(400)', EXIF_GPSAltitudeRef: '0x00' },
      { latitude: 34.0069, longitude: -117.0927, altitude: 400 },
    ],
    [
      'south-east, below sea level',
      { EXIF_GPSLatitude: '(33) (30) (0)', EXIF_GPSLatitudeRef: 'S', EXIF_GPSLongitude: '(151) (12) (36)', EXIF_GPSLongitudeRef: 'E', EXIF_GPSAltitude: '(12)', EXIF_GPSAltitudeRef: '0x01' },
      { latitude: -33.5, longitude: 151.21, altitude: -12 },
    ],
    ['no altitude', { EXIF_GPSLatitude: '(10)', EXIF_GPSLongitude: '(20)' }, { latitude: 10, longitude: 20, altitude: null }],
    ['no GPS', { EXIF_Make: 'DJI' }, null],
  ])('%s', (_name, md, expected) => {
    const position = parseExifPosition(md as Record<string, string>);
    if (expected === null) return expect(position).toBeNull();
    expect(position!.latitude).toBeCloseTo(expected.latitude, 6);
    expect(position!.longitude).toBeCloseTo(expected.longitude, 6);
    expect(position!.altitude).toBe(expected.altitude);
  });
});

describe('parseExifCamera', () => {
  it.each([
    [
      'focal plane resolution in centimetres',
      { EXIF_Make: 'DJI', EXIF_Model: 'FC6310', EXIF_FocalLength: '(8.8)', EXIF_FocalPlaneXResolution: '(303.03)', EXIF_FocalPlaneResolutionUnit: '3' },
      400,
      { maker: 'DJI', model: 'FC6310', focalLengthMm: 8.8, pixelSizeMm: 10 / 303.03 },
    ],
    [
      'focal plane resolution in inches (default unit)',
      { EXIF_FocalLength: '(24)', EXIF_FocalPlaneXResolution: '(5080)' },
      6000,
      { maker: null, model: null, focalLengthMm: 24, pixelSizeMm: 25.4 / 5080 },
    ],
    ['35 mm equivalent', { EXIF_FocalLength: '(4.5)', EXIF_FocalLengthIn35mmFilm: '24' }, 4000, { focalLengthMm: 4.5, pixelSizeMm: (36 * 4.5) / 24 / 4000 }],
    ['nothing known', {}, 100, { focalLengthMm: null, pixelSizeMm: null }],
  ])('%s', (_name, md, columns, expected) => {
    const { pixelSizeMm, ...rest } = expected;
    const camera = parseExifCamera(md as Record<string, string>, columns);
    expect(camera).toMatchObject(rest);
    if (pixelSizeMm === null) expect(camera.pixelSizeMm).toBeNull();
    else expect(camera.pixelSizeMm).toBeCloseTo(pixelSizeMm, 9);
  });
});

describe('parseExifDate', () => {
  it.each([
    ['2023:05:01 10:00:05', Date.UTC(2023, 4, 1, 10, 0, 5)],
    ['2023:05:01 10:00:05+02:00', Date.UTC(2023, 4, 1, 8, 0, 5)],
    ['2023-05-01T10:00:05Z', Date.UTC(2023, 4, 1, 10, 0, 5)],
    ['0000:00:00 00:00:00', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (input, expected) => expect(parseExifDate(input)).toBe(expected));
});
