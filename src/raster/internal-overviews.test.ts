import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../../test/fixtures/raster/write-raster.js';
import { addInternalOverviews } from './internal-overviews.js';

const run = promisify(execFile);
let dir: string;
const GT = [500000, 10, 0, 4120000, 0, -10];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'internal-overviews-'));
  await writeRaster(path.join(dir, 'float.tif'), { width: 600, height: 520, dataType: 'Float32', noData: -9999, srs: 'EPSG:32611', geoTransform: GT, creationOptions: ['TILED=YES'], value: (c, r) => ((c * 7 + r * 13) % 11 === 0 ? -9999 : Math.sin(c / 30) * 100 + r) });
  await writeRaster(path.join(dir, 'int.tif'), { width: 600, height: 520, dataType: 'Int16', srs: 'EPSG:32611', geoTransform: GT, creationOptions: ['TILED=YES'], value: (c, r) => (c * 31 + r * 17) % 97 });
  await writeRaster(path.join(dir, 'striped.tif'), { width: 600, height: 520, dataType: 'Byte', srs: 'EPSG:32611', geoTransform: GT, value: (c) => c % 200 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function overviewPixels(file: string): Float64Array[] {
  const band = gdal.open(file).bands.get(1);
  return [0, 1].flatMap((k) => (k < band.overviews.count() ? [band.overviews.get(k)] : [])).map((o) => o.pixels.read(0, 0, o.size.x, o.size.y, new Float64Array(o.size.x * o.size.y)) as Float64Array);
}

describe('addInternalOverviews', () => {
  it.each([
    ['float.tif', 'average'],
    ['int.tif', 'nearest'],
  ])('gives %s the overviews gdaladdo -r %s makes', async (name, resampling) => {
    const ours = path.join(dir, `ours-${name}`);
    const theirs = path.join(dir, `theirs-${name}`);
    await copyFile(path.join(dir, name), ours);
    await copyFile(path.join(dir, name), theirs);
    expect(await addInternalOverviews(ours)).toBe(true);
    await run('gdaladdo', ['-q', '-r', resampling, theirs, '2']);
    const [a, b] = [overviewPixels(ours), overviewPixels(theirs)];
    expect(a.length).toBe(1); // 600 px: 300 is the last level of at least 256
    expect(a[0]).toEqual(b[0]);
    // A second call finds them there and leaves the file alone.
    expect(await addInternalOverviews(ours)).toBe(true);
    expect(overviewPixels(ours).length).toBe(1);
  });

  it('leaves a striped GeoTIFF untouched and says so (it needs a COG copy)', async () => {
    const file = path.join(dir, 'striped.tif');
    expect(await addInternalOverviews(file)).toBe(false);
    expect(overviewPixels(file)).toHaveLength(0);
  });
});
