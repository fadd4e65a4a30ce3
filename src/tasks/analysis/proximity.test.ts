import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../../../test/fixtures/raster/write-raster.js';
import { computeProximity } from '../../raster/compute-proximity.js';
import { proximityArgs, proximityParams } from '../calculate-distance.js';
import { runProximity } from './proximity.js';

const dir = await mkdtemp(path.join(tmpdir(), 'tessera-proximity-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('runProximity', () => {
  it('writes in this process the file gdal_proximity.py writes in proximity-with-overviews.py, overviews included', async () => {
    // 1100×600: two overview levels, one side not a multiple of the 256-pixel tiles.
    const sources = path.join(dir, 'sources.tif');
    const at = new Set([[40, 30], [1050, 100], [300, 580]].map(([c, r]) => r * 1100 + c));
    await writeRaster(sources, { width: 1100, height: 600, dataType: 'Byte', srs: 'EPSG:32611', geoTransform: [500000, 10, 0, 4120000, 0, -10], value: (c, r) => (at.has(r * 1100 + c) ? 1 : 0) });
    const size = { width: 1100, height: 600 };
    for (const maxDistance of [undefined, 1500]) {
      const [inProcess, script] = [path.join(dir, `lib-${maxDistance}.tif`), path.join(dir, `script-${maxDistance}.tif`)];
      await runProximity(proximityParams(maxDistance), sources, inProcess, size, new AbortController().signal, true);
      await runProximity(proximityParams(maxDistance), sources, script, size, new AbortController().signal, false);
      expect(readFileSync(inProcess).equals(readFileSync(script)), `maximumDistance ${maxDistance}`).toBe(true);
      // And the in-process call did run: GDAL's C API was reached here.
      expect(await computeProximity(sources, path.join(dir, 'direct.tif'), { values: '1', distUnits: 'GEO', dataType: 'Float32', creationOptions: ['TILED=YES'] }, new AbortController().signal)).toBe(true);
      const dataset = gdal.open(inProcess);
      expect(dataset.bands.get(1).overviews.count()).toBe(2);
      dataset.close();
    }
  });
});

describe('proximityArgs', () => {
  it('is the command line gdal_proximity.py was always given', () => {
    expect(proximityArgs(undefined)).toEqual(['-q', '-values', '1', '-distunits', 'GEO', '-ot', 'Float32', '-co', 'TILED=YES']);
    expect(proximityArgs(2500, '255')).toEqual(['-q', '-values', '255', '-distunits', 'GEO', '-ot', 'Float32', '-co', 'TILED=YES', '-maxdist', '2500', '-nodata', '-3.4028234663852886e+38']);
  });
});
