import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PixelBlock } from './pixel-block.js';
import { cutByUpper, datasetLevels, levelWindow, readWindows, type LevelWindow } from './read-windows.js';
import type { RenderGrid } from './render-grid.js';
import { resolveSrs } from './srs-cache.js';
import { warpDatasets, type Resampling } from './warp-items.js';

// Three overlapping 3-band sources in EPSG:32633 with 0.5 m pixels, one of them off the others'
// pixel grid by a fraction of a pixel, each with internal overviews 2 and 4 (nearest).
const SIZE = 300;
const ORIGINS: Array<[number, number]> = [[500000, 5300000], [500060, 5299950], [500030.15, 5299920.35]];
let dir: string;
let paths: string[];
const srs = resolveSrs({ wkid: 32633 });

/** Deterministic noise (no pixel predicts its neighbour): a wrong pick shows. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s >>> 24;
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'read-windows-'));
  paths = ORIGINS.map(([x, y], i) => {
    const file = path.join(dir, `s${i}.tif`);
    const ds = gdal.open(file, 'w', 'GTiff', SIZE, SIZE, 3, gdal.GDT_Byte, ['TILED=YES', 'BLOCKXSIZE=128', 'BLOCKYSIZE=128']);
    ds.srs = gdal.SpatialReference.fromEPSG(32633);
    ds.geoTransform = [x, 0.5, 0, y, 0, -0.5];
    const next = noise(i + 1);
    for (let b = 1; b <= 3; b++) ds.bands.get(b).pixels.write(0, 0, SIZE, SIZE, Uint8Array.from({ length: SIZE * SIZE }, next));
    ds.buildOverviews('NEAREST', [2, 4]);
    ds.close();
    return file;
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function grid(xmin: number, ymax: number, pixel: number, width: number, height: number): RenderGrid {
  return { srs, width, height, bbox: { xmin, ymax, xmax: xmin + width * pixel, ymin: ymax - height * pixel } };
}

function windowsFor(datasets: gdal.Dataset[], g: RenderGrid, resampling: Resampling): Array<LevelWindow | null> | null {
  const windows: Array<LevelWindow | null> = [];
  for (const dataset of datasets) {
    const found = levelWindow(datasetLevels(dataset), g, resampling, true);
    if (!found) return null;
    windows.push(found.window);
  }
  return windows;
}

function differences(a: PixelBlock, b: PixelBlock): number {
  let n = 0;
  for (let i = 0; i < a.mask.length; i++) {
    if (a.mask[i] !== b.mask[i]) n++;
    else if (a.mask[i] !== 0 && a.bands.some((band, k) => band[i] !== b.bands[k][i])) n++;
  }
  return n;
}

describe('readWindows: whole-pixel windows without the warper', () => {
  it.each([
    ['near', 0.5],
    ['near', 1],
    ['near', 2],
  ] as const)('draws %s views at %f m pixels exactly as gdalwarp does, at any offset', async (resampling, pixel) => {
    const datasets = paths.map((p) => gdal.open(p));
    try {
      const random = noise(99);
      let drawn = 0;
      for (let k = 0; k < 12; k++) {
        // Random offsets (thousandths of a metre, as clients send), views over edges and overlaps.
        const g = grid(499990 + (random() * 311) / 1000 + random() / 2, 5300010 - (random() * 97) / 1000 - random() / 3, pixel, 120 + (random() % 60), 90 + (random() % 50));
        const windows = windowsFor(datasets, g, resampling);
        if (!windows) continue;
        drawn++;
        for (const alpha of [true, false]) {
          const options = { resampling, bandCount: 3, pixelType: 'U8', alpha };
          const expected = await warpDatasets(datasets, g, options);
          const block = await readWindows(datasets, windows, g, options);
          expect(differences(block, expected)).toBe(0);
        }
      }
      expect(drawn).toBeGreaterThan(9);
    } finally {
      datasets.forEach((d) => d.close());
    }
  });

  it.each(['bilinear', 'cubic'] as const)('draws %s views exactly as gdalwarp does when the offset is whole pixels', async (resampling) => {
    const datasets = paths.map((p) => gdal.open(p)).slice(0, 2);
    try {
      for (const [x, y, pixel] of [[499990, 5300010, 0.5], [500010.5, 5299990, 0.5], [499996, 5300004, 2]] as const) {
        const g = grid(x, y, pixel, 150, 110);
        const windows = windowsFor(datasets, g, resampling);
        expect(windows).not.toBeNull();
        const options = { resampling, bandCount: 3, pixelType: 'U8' };
        expect(differences(await readWindows(datasets, windows!, g, options), await warpDatasets(datasets, g, options))).toBe(0);
      }
      // A fractional offset is resampling proper: no window.
      expect(windowsFor(datasets, grid(499990.2, 5300010, 0.5, 150, 110), resampling)).toBeNull();
    } finally {
      datasets.forEach((d) => d.close());
    }
  });

  it('has no window between levels, or where a cell centre falls on a pixel edge', () => {
    const levels = [{ overview: -1, width: 100, height: 100, geoTransform: [0, 1, 0, 100, 0, -1] }];
    expect(levelWindow(levels, grid(0.25, 99.75, 1.5, 10, 10), 'near', true)).toBeNull();
    expect(levelWindow(levels, grid(0.5, 99.75, 1, 10, 10), 'near', true)).toBeNull(); // centres on x edges
    expect(levelWindow(levels, grid(0.25, 99.75, 1, 10, 10), 'near', true)).toEqual({ window: { overview: -1, srcCol: 0, srcRow: 0, col: 0, row: 0, width: 10, height: 10 } });
    expect(levelWindow(levels, grid(-3.25, 99.75, 1, 10, 10), 'near', true)).toEqual({ window: { overview: -1, srcCol: 0, srcRow: 0, col: 3, row: 0, width: 7, height: 10 } });
    expect(levelWindow(levels, grid(200.25, 99.75, 1, 10, 10), 'near', true)).toEqual({ window: null });
    expect(levelWindow(levels, grid(0, 100, 1, 10, 10), 'bilinear', false)).toBeNull(); // floats: the warper's weights
  });

  it('cuts each window by the ones above it when a rectangle is left, and says when one is not', () => {
    const w = (col: number, row: number, width: number, height: number): LevelWindow => ({ overview: -1, srcCol: 100 + col, srcRow: 200 + row, col, row, width, height });
    // Side by side, the top one (last) overlapping the bottom one's right edge: the bottom one loses its overlap.
    expect(cutByUpper([w(0, 0, 60, 50), w(50, 0, 50, 50)])).toEqual([w(0, 0, 50, 50), w(50, 0, 50, 50)]);
    expect(cutByUpper([w(0, 10, 60, 40), w(0, 0, 60, 20)])).toEqual([w(0, 20, 60, 30), w(0, 0, 60, 20)]);
    expect(cutByUpper([w(10, 10, 20, 20), w(0, 0, 60, 50)])).toEqual([null, w(0, 0, 60, 50)]);
    expect(cutByUpper([w(0, 0, 20, 20), w(30, 30, 10, 10)])).toEqual([w(0, 0, 20, 20), w(30, 30, 10, 10)]);
    expect(cutByUpper([w(0, 0, 60, 50), w(50, 40, 50, 50)])).toBeNull(); // an L would be left
    expect(cutByUpper([w(0, 0, 60, 50), w(20, 0, 10, 50)])).toBeNull(); // two pieces
  });
});
