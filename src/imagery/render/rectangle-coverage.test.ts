import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { esriToWkb } from '../../geometry/wkb.js';
import type { Bounds } from '../../raster/transform-bounds.js';
import { footprintRectangle, subtractFromAll } from './rectangle-coverage.js';

const rectangleWkb = (b: Bounds) => esriToWkb({ rings: [[[b.xmin, b.ymin], [b.xmin, b.ymax], [b.xmax, b.ymax], [b.xmax, b.ymin], [b.xmin, b.ymin]]] })!;

describe('rectangle coverage', () => {
  it('recognises axis-aligned rectangle footprints and nothing else', () => {
    expect(footprintRectangle(rectangleWkb({ xmin: 1, ymin: 2, xmax: 3, ymax: 4 }))).toEqual({ xmin: 1, ymin: 2, xmax: 3, ymax: 4 });
    const densified = esriToWkb({ rings: [[[1, 2], [1, 3], [1, 4], [2, 4], [3, 4], [3, 2], [2, 2], [1, 2]]] })!;
    expect(footprintRectangle(densified)).toEqual({ xmin: 1, ymin: 2, xmax: 3, ymax: 4 });
    expect(footprintRectangle(esriToWkb({ rings: [[[1, 2], [1, 4], [2, 4], [3, 3], [3, 2], [1, 2]]] })!)).toBeNull(); // a cut corner
    expect(footprintRectangle(esriToWkb({ rings: [[[0, 0], [1, 2], [3, 2], [2, 0], [0, 0]]] })!)).toBeNull();
    expect(footprintRectangle(esriToWkb({ rings: [[[0, 0], [0, 1], [1, 0], [1, 1], [0, 0]]] })!)).toBeNull(); // a bow tie on the corners
    expect(footprintRectangle(esriToWkb({ rings: [[[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]], [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 0.5]]] })!)).toBeNull();
  });

  it('agrees with a GEOS union on whether random boxes cover an area', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const area = { xmin: 0, ymin: 0, xmax: 10, ymax: 10 };
    const target = gdal.Geometry.fromWKB(rectangleWkb(area));
    let covered = 0;
    for (let trial = 0; trial < 400; trial++) {
      let open = [area];
      let union: gdal.Geometry | null = null;
      for (let i = 0; i < 6; i++) {
        // Whole-number corners make shared edges and exact fits common.
        const [x0, x1] = [Math.floor(random() * 7) - 1, Math.floor(random() * 7) + 5];
        const [y0, y1] = [Math.floor(random() * 7) - 1, Math.floor(random() * 7) + 5];
        if (x0 === x1 || y0 === y1) continue;
        const box = { xmin: x0, ymin: y0, xmax: x1, ymax: y1 };
        open = subtractFromAll(open, box);
        const footprint = gdal.Geometry.fromWKB(rectangleWkb(box));
        union = union ? union.union(footprint) : footprint;
        expect(open.length === 0).toBe(union.contains(target));
        if (open.length === 0) covered++;
      }
    }
    expect(covered).toBeGreaterThan(10);
  });
});
