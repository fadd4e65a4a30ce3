import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../../test/fixtures/raster/write-raster.js';
import { computeProximity } from './compute-proximity.js';
import { gdalCApi } from './gdal-c-api.js';
import { openViewshedSurface } from './gdal-viewshed.js';

const dir = await mkdtemp(path.join(tmpdir(), 'tessera-gdal-c-api-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const api = gdalCApi();
const signal = new AbortController().signal;

describe.runIf(api)('GDAL C API errors carry GDAL own text', () => {
  it('reads the last error of a sync call after a reset', async () => {
    const file = path.join(dir, 'one-band.tif');
    await writeRaster(file, { width: 4, height: 4, dataType: 'Byte', value: () => 1 });
    const open = api!.sync<(name: string, access: number) => object | null>('GDALHandle GDALOpen(const char *, int)');
    const band = api!.sync<(dataset: object, n: number) => object | null>('GDALHandle GDALGetRasterBand(GDALHandle, int)');
    const close = api!.sync<(dataset: object) => number>('int GDALClose(GDALHandle)');
    const dataset = open(file, 0)!;
    try {
      api!.resetError();
      expect(api!.lastError()).toBe('');
      expect(band(dataset, 2)).toBeNull();
      expect(api!.lastError()).toMatch(/Illegal band #/);
    } finally {
      close(dataset);
    }
  });

  it('computeProximity and openViewshedSurface say why GDAL could not open the source, without its server path', async () => {
    const missing = path.join(dir, 'missing.tif');
    const noBands = path.join(dir, 'no-bands.vrt');
    writeFileSync(noBands, '<VRTDataset rasterXSize="4" rasterYSize="4"></VRTDataset>');
    const params = { values: '1', distUnits: 'GEO' as const, dataType: 'Float32', creationOptions: [] };
    await expect(computeProximity(missing, path.join(dir, 'out.tif'), params, signal)).rejects.toThrow('gdal_proximity failed: the source could not be opened: missing.tif: No such file or directory');
    await expect(openViewshedSurface(missing)).rejects.toThrow(/^gdal_viewshed could not read the elevation surface: missing\.tif: No such file or directory$/);
    await expect(openViewshedSurface(noBands)).rejects.toThrow('gdal_viewshed could not read the elevation surface: Missing one of rasterXSize, rasterYSize or bands on VRTDataset');
  });
});
