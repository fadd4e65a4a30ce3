import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetPool } from './dataset-pool.js';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dataset-pool-'));
  file = path.join(dir, 'a.tif');
  gdal.drivers.get('GTiff').create(file, 4, 4, 1, gdal.GDT_Byte).close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('DatasetPool', () => {
  it('lends a returned handle again, and a second one while the first is out', async () => {
    const pool = new DatasetPool(2);
    const first = await pool.acquire(file);
    const second = await pool.acquire(file);
    expect(second).not.toBe(first);
    pool.release(file, first);
    pool.release(file, second);
    expect([await pool.acquire(file), await pool.acquire(file)]).toEqual(expect.arrayContaining([first, second]));
    pool.closeAll();
  });

  it('closes handles beyond the idle limit, and gives null for paths that do not open', async () => {
    const pool = new DatasetPool(1);
    const seen = await pool.withDatasets([file, file, path.join(dir, 'missing.tif')], async (datasets) => datasets);
    expect(seen.map((d) => d !== null)).toEqual([true, true, false]);
    expect(() => seen[0]!.bands.count()).not.toThrow(); // kept idle
    expect(() => seen[1]!.bands.count()).toThrow(); // closed: over the per-path limit
    pool.forget([file]);
    expect(() => seen[0]!.bands.count()).toThrow();
  });

  it("keeps one idle handle per file when told to, the last returned", async () => {
    const pool = new DatasetPool(2);
    const [older, newer] = [await pool.acquire(file), await pool.acquire(file)];
    pool.release(file, older);
    pool.release(file, newer);
    pool.keepOnePerFile();
    expect(() => older.bands.count()).toThrow();
    expect(await pool.acquire(file)).toBe(newer);
    pool.closeAll();
  });

  it('keeps only the most recently used idle handles when told to', async () => {
    const pool = new DatasetPool(2);
    const handles = [await pool.acquire(file), await pool.acquire(file)];
    handles.forEach((d) => pool.release(file, d));
    pool.keepAtMost(1);
    expect(handles.map((d) => { try { d.bands.count(); return true; } catch { return false; } })).toEqual([false, true]);
    pool.keepAtMost(0);
    expect(() => handles[1].bands.count()).toThrow();
    pool.closeAll();
  });
});
