import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { gdalCApi } from './gdal-c-api.js';
import { flushGdalCache } from './gdal-cache.js';

describe('flushGdalCache', () => {
  it.runIf(gdalCApi())('leaves no decoded block in GDAL’s cache', () => {
    const used = gdalCApi()!.sync<() => number | bigint>('int64_t GDALGetCacheUsed64()');
    const dir = mkdtempSync(path.join(tmpdir(), 'gdal-cache-'));
    const file = path.join(dir, 'a.tif');
    gdal.drivers.get('GTiff').create(file, 256, 256, 1, gdal.GDT_Byte).close();
    const dataset = gdal.open(file);
    dataset.bands.get(1).pixels.read(0, 0, 256, 256);
    expect(Number(used())).toBeGreaterThan(0);
    expect(flushGdalCache()).toBe(true);
    expect(Number(used())).toBe(0);
    dataset.close();
    rmSync(dir, { recursive: true });
  });
});
