import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs, type GeoTiffFixtures } from '../../../test/fixtures/raster/make-geotiffs.js';
import { makeUavFrames, type UavFramesFixture } from '../../../test/fixtures/raster/make-uav-frames.js';
import { writeRaster } from '../../../test/fixtures/raster/write-raster.js';
import { computeFootprint } from '../compute-footprint.js';
import { convertToCog } from '../convert-to-cog.js';
import { inspectRaster } from '../inspect-raster.js';
import { createPointTransformer } from '../point-transformer.js';
import { RasterTypeError } from '../raster-error.js';
import { resolveRasterType } from '../resolve-raster-type.js';
import { ringBounds } from '../transform-bounds.js';

let dir: string;
let scratchDir: string;
let uav: UavFramesFixture;
let tiffs: GeoTiffFixtures;
let frames: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'uav-type-'));
  scratchDir = path.join(dir, 'scratch');
  await mkdir(scratchDir);
  uav = await makeUavFrames(dir);
  tiffs = await makeGeoTiffs(dir);
  frames = uav.frames.map((f) => f.path);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// 400 m above sea level over ground at 100 m: 300 m above ground; 33 µm pixels, 8.8 mm lens.
const GSD = (300 * 0.033) / 8.8;

describe('UAV/UAS raster type', () => {
  it('places frames from EXIF GPS, cameraProperties and constantZ, heading along the track', async () => {
    const items = await resolveRasterType(frames, 'UAV/UAS', { cameraProperties: uav.camera, constantZ: 100 }, { scratchDir });
    expect(items.map((i) => i.name)).toEqual(['DJI_0001', 'DJI_0002', 'DJI_0003']);
    for (const item of items) {
      expect(item.attributes).toMatchObject({ ProductName: 'UAV/UAS', SensorName: 'DJI FC6310', Tag: 'Frame', GroupName: 'flight1', FlightHeight: 300, GroundZ: 100, Altitude: 400 });
      expect(item.attributes.GSD).toBeCloseTo(GSD, 9);
      // Flying east; UTM grid north differs from true north by the meridian convergence (~1.1° here).
      expect(Math.abs(Number(item.attributes.CameraHeading) - 90)).toBeLessThan(2);
    }
    expect(items[0].attributes.AcquisitionDate).toBe(Date.UTC(2023, 4, 1, 10, 0, 0));
    const vrt = await inspectRaster(items[0].sourcePath);
    expect(vrt).toMatchObject({ driver: 'VRT', gcpCount: 5, isGeoreferenced: true, geoTransform: null, width: 400, height: 300 });
  });

  it('warps a frame to a COG at its ground sample distance, centred under the camera', async () => {
    // All three frames, so the middle one gets its heading from the track.
    const [, item] = await resolveRasterType(frames, 'UAV/UAS', { cameraProperties: uav.camera, constantZ: 100 }, { scratchDir });
    const info = await convertToCog(item.sourcePath, path.join(dir, 'frame.tif'), { outSR: 32611 });
    expect(info).toMatchObject({ epsg: 32611, bandCount: 3, metadataDomains: { IMAGE_STRUCTURE: { LAYOUT: 'COG' } } });
    expect(info.pixelSizeX!).toBeGreaterThan(GSD * 0.95);
    expect(info.pixelSizeX!).toBeLessThan(GSD * 1.05);
    const frame = uav.frames[1];
    const [x, y] = createPointTransformer(gdal.SpatialReference.fromEPSG(4326), gdal.SpatialReference.fromEPSG(32611))(frame.longitude, frame.latitude)!;
    const { rings } = await computeFootprint(path.join(dir, 'frame.tif'), 32611);
    const b = ringBounds(rings[0]);
    expect(Math.abs((b.xmin + b.xmax) / 2 - x)).toBeLessThan(2 * GSD);
    expect(Math.abs((b.ymin + b.ymax) / 2 - y)).toBeLessThan(2 * GSD);
    // Heading east: the 400-column side runs north-south (450 m), the 300-row side east-west (337.5 m).
    expect(b.ymax - b.ymin).toBeCloseTo(400 * GSD, -1);
    expect(b.xmax - b.xmin).toBeCloseTo(300 * GSD, -1);
  });

  it('gives a footprint straight from the GCP VRT, around the camera', async () => {
    const [, item] = await resolveRasterType(frames, 'UAV/UAS', { cameraProperties: uav.camera, constantZ: 100 }, { scratchDir });
    const { rings } = await computeFootprint(item.sourcePath, 4326);
    const b = ringBounds(rings[0]);
    const { latitude, longitude } = uav.frames[1];
    expect(longitude).toBeGreaterThan(b.xmin);
    expect(longitude).toBeLessThan(b.xmax);
    expect(latitude).toBeGreaterThan(b.ymin);
    expect(latitude).toBeLessThan(b.ymax);
  });

  it('places a lone frame north-up: there is no track to follow', async () => {
    const [item] = await resolveRasterType(frames[1], 'UAV/UAS', { cameraProperties: uav.camera, constantZ: 100 }, { scratchDir });
    expect(item.attributes.CameraHeading).toBe(0);
  });

  it('falls back to the camera in EXIF (focal length, focal-plane resolution)', async () => {
    const items = await resolveRasterType(frames, 'UAV/UAS', { constantz: '100' }, { scratchDir });
    expect(items[0].attributes.GSD).toBeCloseTo(GSD, 3);
  });

  it('takes positions from gps rows, with altitude as flight height', async () => {
    const gps = [
      ['DJI_0001.JPG', '34.0100', '-117.1000', '120'],
      ['NO_GPS.JPG', '34.0100', '-117.0990', '120'],
    ];
    const items = await resolveRasterType([frames[0], uav.noGps], 'Aerial', { gps, isAltitudeFlightHeight: 'true', cameraProperties: uav.camera }, { scratchDir });
    expect(items.map((i) => [i.name, i.attributes.Latitude, i.attributes.Longitude, i.attributes.FlightHeight])).toEqual([
      ['DJI_0001', 34.01, -117.1, 120],
      ['NO_GPS', 34.01, -117.099, 120],
    ]);
    expect(items[0].attributes.ProductName).toBe('Aerial');
  });

  it('reads ground height from a DEM', async () => {
    const dem = await writeRaster(path.join(dir, 'dem.tif'), {
      width: 100,
      height: 100,
      dataType: 'Float32',
      srs: 'EPSG:4326',
      geoTransform: [-117.2, 0.002, 0, 34.1, 0, -0.002],
      value: () => 150,
    });
    const items = await resolveRasterType(frames[0], 'UAV/UAS', { cameraProperties: uav.camera, dem: { uri: dem } }, { scratchDir });
    expect(items[0].attributes).toMatchObject({ GroundZ: 150, FlightHeight: 250 });
  });

  it('passes already georeferenced images through', async () => {
    const items = await resolveRasterType(tiffs.utmRgb.path, 'UAV/UAS', {}, { scratchDir });
    expect(items).toEqual([expect.objectContaining({ name: 'utm-rgb', sourcePath: tiffs.utmRgb.path })]);
  });

  it.each([
    ['an image with neither GPS nor georeference', () => [uav.noGps], {}, /NO_GPS.JPG has no GPS position/],
    ['a folder holding such an image', () => [uav.folder], {}, /NO_GPS.JPG has no GPS position/],
    ['a camera below the ground', () => [frames[0]], { constantZ: 500 }, /not above the ground/],
    ['a DEM given as a service URL', () => [frames[0]], { dem: { url: 'https://example.com/ImageServer' } }, /resolve service URLs/],
    ['a malformed gps row', () => [frames[0]], { gps: [['DJI_0001.JPG', 'x', 'y']] }, /gps row 1/],
  ])('rejects %s', async (_name, input, props, message) => {
    const error = await resolveRasterType(input(), 'UAV/UAS', { cameraProperties: uav.camera, ...props }, { scratchDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RasterTypeError);
    expect((error as Error).message).toMatch(message);
  });
});
