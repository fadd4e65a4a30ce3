import { describe, expect, it } from 'vitest';
import type { CollectionRecord } from '../store/catalog-store.js';
import { collectionLods, isTileInRange, tileBounds, tileSchemeOf } from './tile-scheme.js';

/** A collection in `epsg` covering `extent` with `pixel`-sized pixels. */
function collection(epsg: number, extent: CollectionRecord['summary']['extent'], pixel = 10): CollectionRecord {
  return { epsg, srsWkt: '', summary: { extent, pixelSizeX: pixel, pixelSizeY: pixel } } as unknown as CollectionRecord;
}

describe('tileSchemeOf: the tiling scheme is in the collection SR', () => {
  it('Web Mercator: the ArcGIS Online scheme', () => {
    const scheme = tileSchemeOf(collection(3857, { xmin: 0, ymin: 0, xmax: 1000, ymax: 1000 }));
    expect(scheme.spatialReference).toEqual({ wkid: 102100, latestWkid: 3857 });
    expect(scheme.origin).toEqual({ x: -20037508.342787, y: 20037508.342787 });
    expect(tileBounds(1, 0, 1, scheme).xmin).toBeCloseTo(0, 3);
  });

  it('geographic SRs: the WGS84 scheme in their own SR, two tiles at level 0', () => {
    for (const epsg of [4326, 4269]) {
      const scheme = tileSchemeOf(collection(epsg, { xmin: 7, ymin: 46, xmax: 8, ymax: 47 }, 0.001));
      expect(scheme.spatialReference.wkid).toBe(epsg);
      expect(scheme).toMatchObject({ origin: { x: -180, y: 90 }, level0Resolution: 0.703125, level0Columns: 2, level0Rows: 1 });
      expect(isTileInRange(0, 0, 1, scheme)).toBe(true);
      expect(isTileInRange(0, 1, 0, scheme)).toBe(false);
    }
  });

  it('UTM: ArcGIS Online scales in metres from ArcGIS’s UTM origin; LODs down to the data’s pixels', () => {
    const utm = collection(32633, { xmin: 500000, ymin: 5199360, xmax: 500640, ymax: 5200000 });
    const scheme = tileSchemeOf(utm);
    expect(scheme).toMatchObject({ spatialReference: { wkid: 32633 }, origin: { x: -5120900, y: 9998100 }, level0Resolution: 156543.03392800014, level0Columns: 1, level0Rows: 1 });
    const lods = collectionLods(utm);
    expect(lods.at(-1)).toMatchObject({ level: 14 }); // 9.55 m, the first level finer than 10 m
    expect(lods[0]).toEqual({ level: 0, resolution: 156543.03392800014, scale: 591657527.591555 });
    // Another zone is another scheme: other tiles in the cache.
    expect(tileSchemeOf(collection(32611, utm.summary.extent)).key).not.toBe(scheme.key);
  });

  it('feet: the same scales in the SR’s unit; data beyond the default origin moves it out', () => {
    const feet = tileSchemeOf(collection(2229, { xmin: 6400000, ymin: 1800000, xmax: 6500000, ymax: 1900000 }));
    expect(feet.level0Resolution).toBeCloseTo(156543.03392800014 / 0.3048006096012192, 3);
    const far = tileSchemeOf(collection(3035, { xmin: -6000000.5, ymin: 1000000, xmax: 7000000, ymax: 11000000 }));
    expect(far.origin).toEqual({ x: -6000001, y: 11000000 });
    const span = far.level0Resolution * 256;
    expect(far.level0Columns).toBe(Math.ceil(13000001 / span));
  });
});
