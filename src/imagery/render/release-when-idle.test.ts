import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inFlight } from '../../in-flight.js';
import { datasetPool } from './dataset-pool.js';
import { releaseWhenIdle } from './release-when-idle.js';

let dir: string;
const files: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'release-when-idle-'));
  for (const name of ['a.tif', 'b.tif']) {
    files.push(path.join(dir, name));
    gdal.drivers.get('GTiff').create(files.at(-1)!, 4, 4, 1, gdal.GDT_Byte).close();
  }
});
afterEach(() => {
  vi.useRealTimers();
  datasetPool.closeAll();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const isOpen = (dataset: gdal.Dataset) => {
  try {
    dataset.bands.count();
    return true;
  } catch {
    return false;
  }
};

/** Two handles of each file lent out at once and returned: [a1, a2, b1, b2]. */
async function twoHandlesEach(): Promise<gdal.Dataset[]> {
  const handles = [];
  for (const file of files) handles.push(await datasetPool.acquire(file), await datasetPool.acquire(file));
  handles.forEach((dataset, i) => datasetPool.release(files[Math.floor(i / 2)]!, dataset));
  return handles;
}

describe('releaseWhenIdle', () => {
  it("closes each file's second handle after the short quiet, then all but the kept ones after the long", async () => {
    const handles = await twoHandlesEach();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const stop = releaseWhenIdle({ quietSeconds: 30, keptHandles: 1, surplusQuietSeconds: 2 });
    vi.advanceTimersByTime(1_000);
    expect(handles.map(isOpen)).toEqual([true, true, true, true]);
    vi.advanceTimersByTime(2_000);
    expect(handles.map(isOpen)).toEqual([false, true, false, true]); // the last returned of each stays
    vi.advanceTimersByTime(30_000);
    expect(handles.map(isOpen)).toEqual([false, false, false, true]); // the most recently used file
    stop();
  });

  it('lets nothing go while requests come, and starts counting again after them', async () => {
    const handles = await twoHandlesEach();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const stop = releaseWhenIdle({ quietSeconds: 0, keptHandles: 0, surplusQuietSeconds: 2 });
    for (let second = 0; second < 5; second++) {
      inFlight.enter();
      vi.advanceTimersByTime(1_000);
      inFlight.leave();
    }
    expect(handles.every(isOpen)).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(handles.every(isOpen)).toBe(true); // one quiet second
    vi.advanceTimersByTime(2_000);
    expect(handles.map(isOpen)).toEqual([false, true, false, true]);
    stop();
  });
});
