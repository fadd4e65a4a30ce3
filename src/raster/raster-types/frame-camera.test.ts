import { describe, expect, it } from 'vitest';
import { computeFrameGcps, computeGroundSampleDistance, computeHeading, computeTrackHeadings, findUtmEpsg, type FrameCamera } from './frame-camera.js';

const camera: FrameCamera = { focalLengthMm: 10, pixelSizeMm: 0.01, columns: 400, rows: 300 };

describe('computeGroundSampleDistance', () => {
  it.each([
    [100, camera, 0.1],
    [300, camera, 0.3],
    [300, { ...camera, focalLengthMm: 20 }, 0.15],
  ])('H=%s → %s m', (h, cam, expected) => expect(computeGroundSampleDistance(h, cam)).toBeCloseTo(expected, 12));
});

describe('computeHeading', () => {
  it.each([
    [{ x: 0, y: 0 }, { x: 0, y: 10 }, 0],
    [{ x: 0, y: 0 }, { x: 10, y: 0 }, 90],
    [{ x: 0, y: 0 }, { x: 0, y: -10 }, 180],
    [{ x: 0, y: 0 }, { x: -10, y: -10 }, 225],
    [{ x: 0, y: 0 }, { x: 0.1, y: 0.1 }, null],
  ])('%j → %j = %s°', (a, b, expected) => {
    const heading = computeHeading(a, b);
    if (expected === null) expect(heading).toBeNull();
    else expect(heading).toBeCloseTo(expected, 9);
  });
});

describe('computeTrackHeadings', () => {
  it.each([
    ['straight line east', [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 200, y: 0 }], [90, 90, 90]],
    ['a turn takes the tangent', [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 100 }], [90, 45, 0]],
    ['a single frame has none', [{ x: 0, y: 0 }], [null]],
    ['a hovering frame looks at its neighbour', [{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 50 }], [null, 0, 0]],
  ])('%s', (_name, track, expected) => {
    const headings = computeTrackHeadings(track);
    expected.forEach((h, i) => (h === null ? expect(headings[i]).toBeNull() : expect(headings[i]).toBeCloseTo(h, 9)));
  });
});

describe('computeFrameGcps', () => {
  const centre = { x: 500000, y: 4000000 };
  it.each([
    {
      name: 'north-up: top-left corner is north-west',
      heading: 0,
      cam: camera,
      // GSD 0.1 m at 100 m: the 400 × 300 frame covers 40 m × 30 m.
      expected: [
        { pixel: 0, line: 0, x: 499980, y: 4000015 },
        { pixel: 400, line: 0, x: 500020, y: 4000015 },
        { pixel: 400, line: 300, x: 500020, y: 3999985 },
        { pixel: 0, line: 300, x: 499980, y: 3999985 },
        { pixel: 200, line: 150, x: 500000, y: 4000000 },
      ],
    },
    {
      name: 'flying east: top of the image faces east, its left side north',
      heading: 90,
      cam: camera,
      expected: [
        { pixel: 0, line: 0, x: 500015, y: 4000020 },
        { pixel: 400, line: 0, x: 500015, y: 3999980 },
        { pixel: 400, line: 300, x: 499985, y: 3999980 },
        { pixel: 0, line: 300, x: 499985, y: 4000020 },
        { pixel: 200, line: 150, x: 500000, y: 4000000 },
      ],
    },
    {
      name: 'principal point offset moves the image, not the nadir point',
      heading: 0,
      cam: { ...camera, principalPointMm: { x: 0.5, y: 0 } },
      // The nadir point is 50 px right of the centre, so the centre pixel lies 5 m west of it.
      expected: [{ pixel: 200, line: 150, x: 499995, y: 4000000 }],
    },
  ])('$name', ({ heading, cam, expected }) => {
    const gcps = computeFrameGcps(centre, 100, heading, cam);
    for (const want of expected) {
      const got = gcps.find((g) => g.pixel === want.pixel && g.line === want.line)!;
      expect(got.x).toBeCloseTo(want.x, 6);
      expect(got.y).toBeCloseTo(want.y, 6);
    }
  });
});

describe('findUtmEpsg', () => {
  it.each([
    [-117.09, 34.0, 32611],
    [11.5, 45.1, 32632],
    [-34.9, -8.0, 32725],
    [180, 10, 32660],
    [-180, -10, 32701],
  ])('%s, %s → %s', (lon, lat, expected) => expect(findUtmEpsg(lon, lat)).toBe(expected));
});
