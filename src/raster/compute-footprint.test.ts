import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadRasters, type BadRasterFixtures } from '../../test/fixtures/raster/make-bad-rasters.js';
import { makeGeoTiffs, type GeoTiffFixtures } from '../../test/fixtures/raster/make-geotiffs.js';
import { makeLandsat8Scene, type LandsatSceneFixture } from '../../test/fixtures/raster/make-landsat-scene.js';
import { makeSentinel2Safe, type Sentinel2Fixture } from '../../test/fixtures/raster/make-sentinel2-safe.js';
import { writeRaster } from '../../test/fixtures/raster/write-raster.js';
import { computeFootprint } from './compute-footprint.js';
import { signedArea } from './esri-rings.js';
import { createPointTransformer } from './point-transformer.js';
import { toSpatialReference } from './srs-input.js';
import { densifyRing, ringBounds, type Ring } from './transform-bounds.js';

let dir: string;
let tiffs: GeoTiffFixtures;
let bad: BadRasterFixtures;
let landsat: LandsatSceneFixture;
let s2: Sentinel2Fixture;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'footprint-'));
  tiffs = await makeGeoTiffs(dir);
  bad = await makeBadRasters(dir);
  landsat = await makeLandsat8Scene(dir);
  s2 = await makeSentinel2Safe(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The expected valid area, moved to the target CRS. */
function expectedRing(area: [number, number][], fromEpsg: number, toEpsg: number): Ring {
  const transform = createPointTransformer(toSpatialReference(fromEpsg), toSpatialReference(toEpsg));
  return densifyRing([...area, area[0]], 8).map(([x, y]) => transform(x, y)!);
}

/** Intersection over union of two polygons given as rings. */
function overlap(a: Ring[], b: Ring[]): number {
  const toPolygon = (rings: Ring[]): gdal.Geometry => gdal.Geometry.fromGeoJson({ type: 'Polygon', coordinates: rings });
  const [pa, pb] = [toPolygon(a), toPolygon(b)];
  return (pa.intersection(pb) as gdal.Polygon).getArea() / (pa.union(pb) as gdal.Polygon).getArea();
}

describe('computeFootprint', () => {
  it.each([
    { fixture: 'utmRgb' as const, target: 4326, minOverlap: 0.99 },
    { fixture: 'utmRgb' as const, target: 3857, minOverlap: 0.99 },
    { fixture: 'wgs84Dem' as const, target: 4326, minOverlap: 0.97 },
    { fixture: 'wgs84Dem' as const, target: 32611, minOverlap: 0.97 },
    { fixture: 'mercatorFloat' as const, target: 4326, minOverlap: 0.98 },
  ])('traces the nodata border of $fixture in EPSG:$target', async ({ fixture, target, minOverlap }) => {
    const { rings } = await computeFootprint(tiffs[fixture].path, target);
    expect(rings).toHaveLength(1);
    expect(signedArea(rings[0])).toBeLessThan(0); // Esri: exterior clockwise
    const expected = expectedRing(tiffs[fixture].validArea, tiffs[fixture].epsg, target);
    expect(overlap(rings, [expected])).toBeGreaterThan(minOverlap);
  });

  it('finds the fill collar of a band without nodata from its zero values', async () => {
    const { rings } = await computeFootprint(path.join(landsat.folder, `${landsat.productId}_B4.TIF`), { wkid: 32611 });
    expect(rings).toHaveLength(1);
    expect(overlap(rings, [expectedRing(landsat.validArea, 32611, 32611)])).toBeGreaterThan(0.95);
  });

  it('works on a Sentinel-2 subdataset', async () => {
    const sub = `SENTINEL2_L1C:${s2.mtdPath}:10m:EPSG_32632`;
    const { rings } = await computeFootprint(sub, 32632);
    expect(overlap(rings, [expectedRing(s2.validArea, 32632, 32632)])).toBeGreaterThan(0.97);
  });

  it('uses the densified outline of a fully valid raster', async () => {
    const full = await writeRaster(path.join(dir, 'full.tif'), {
      width: 50,
      height: 40,
      srs: 'EPSG:32611',
      geoTransform: [500000, 30, 0, 3800000, 0, -30],
      value: () => 7,
    });
    const { rings } = await computeFootprint(full, 32611, { pointsPerEdge: 4 });
    expect(rings).toHaveLength(1);
    expect(rings[0]).toHaveLength(17);
    expect(ringBounds(rings[0])).toEqual({ xmin: 500000, ymin: 3798800, xmax: 501500, ymax: 3800000 });
    expect(signedArea(rings[0])).toBe(-1500 * 1200);
  });

  it('returns no rings for a raster that is all fill', async () => {
    const empty = await writeRaster(path.join(dir, 'empty.tif'), {
      width: 20,
      height: 20,
      srs: 'EPSG:4326',
      geoTransform: [0, 1, 0, 20, 0, -1],
      noData: 0,
      value: () => 0,
    });
    expect(await computeFootprint(empty, 4326)).toEqual({ rings: [] });
  });

  it('refuses an un-georeferenced image', async () => {
    await expect(computeFootprint(bad.ungeoreferenced, 4326)).rejects.toMatchObject({ code: 'RASTER_NOT_GEOREFERENCED' });
  });
});
