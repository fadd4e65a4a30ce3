import { describe, expect, it } from 'vitest';
import { distanceAroundBarriers } from './barrier-distance.js';
import { geodesicDistance } from './geodesic.js';

describe('distanceAroundBarriers', () => {
  it('is the straight-line distance in the open', () => {
    const [w, h] = [40, 30];
    const sources = new Uint8Array(w * h);
    sources[12 * w + 7] = 1;
    const { distance, anchor } = distanceAroundBarriers(sources, new Uint8Array(w * h), w, h, 10, 20);
    for (let i = 0; i < w * h; i++) expect(distance[i]).toBeCloseTo(Math.hypot(((i % w) - 7) * 10, (Math.floor(i / w) - 12) * 20), 6);
    expect(anchor[29 * w + 39]).toBe(12 * w + 7);
  });

  it('walks round a wall, never through it, and leaves walled-in cells unreached', () => {
    const [w, h] = [20, 20];
    const sources = new Uint8Array(w * h);
    sources[10 * w + 2] = 1;
    const wall = new Uint8Array(w * h);
    for (let r = 0; r < 15; r++) wall[r * w + 10] = 1; // column 10, rows 0–14
    wall[0 * w + 18] = wall[0 * w + 19] = wall[1 * w + 18] = 1;
    const boxed = new Uint8Array(wall);
    boxed[0 * w + 19] = 0;
    boxed[1 * w + 19] = 1;
    const { distance } = distanceAroundBarriers(sources, boxed, w, h, 1, 1);
    // Round the wall's foot: at least the taut string via the corners (10, 15) and (11, 15).
    const taut = Math.hypot(10 - 2.5, 15 - 10.5) + 1 + Math.hypot(15.5 - 11, 15 - 10.5);
    expect(distance[10 * w + 15]).toBeGreaterThanOrEqual(taut - 1e-9);
    expect(distance[10 * w + 15]).toBeLessThan(taut + 1);
    expect(distance[0 * w + 19]).toBe(Number.POSITIVE_INFINITY); // shut in by barrier cells
    expect(distance[5 * w + 10]).toBe(Number.POSITIVE_INFINITY); // a barrier cell
  });
});

describe('geodesicDistance', () => {
  it('measures WGS84: a degree of the equator, and Vincenty\'s published Flinders Peak – Buninyong line', () => {
    expect(geodesicDistance(0, 0, 1, 0, 6378137, 1 / 298.257223563)).toBeCloseTo(111319.4908, 3);
    // Vincenty (1975) / GeographicLib: 54 972.271 m on GRS80.
    const d = geodesicDistance(144 + 25 / 60 + 29.52440 / 3600, -(37 + 57 / 60 + 3.72030 / 3600), 143 + 55 / 60 + 35.38390 / 3600, -(37 + 39 / 60 + 10.15610 / 3600), 6378137, 1 / 298.257222101);
    expect(d).toBeCloseTo(54972.271, 2);
  });
});
