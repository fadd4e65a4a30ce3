import type { ViewshedWindow } from '../../raster/gdal-viewshed.js';
import { OUTPUT_NODATA, openValidStrips, writeGridStrips, type Grid } from './grid-io.js';

/** What the count needs of an observer: where it stands, and how near it sees nothing. */
export interface CountedObserver {
  x: number;
  y: number;
  minDistance?: number;
}

type Shape = Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>;

/**
 * Adds one observer's viewshed (gdal_viewshed NORMAL output, 0 not seen) to `count`, a whole-grid
 * count on the surface's grid: one Int32 a cell however many observers, each viewshed dropped once
 * added. The viewshed may cover only a window of the surface (a maximum distance); cells nearer
 * than the observer's minimum distance are not seen.
 */
export function addViewshed(count: Int32Array, surface: Shape, view: ViewshedWindow<Uint8Array>, observer: CountedObserver): void {
  const { col, row } = windowOffset(view, surface);
  const [ox, px, , oy, , py] = surface.geoTransform;
  const limit = observer.minDistance ? observer.minDistance ** 2 : 0;
  for (let y = 0; y < view.height; y++) {
    const from = y * view.width;
    const to = (y + row) * surface.width + col;
    if (limit === 0) addRow(count, to, view.values, from, view.width);
    else addRowBeyond(count, to, view.values, from, view.width, ox, col, px, observer.x, oy + (y + row + 0.5) * py - observer.y, limit);
  }
}

/**
 * Writes the count (Int32; nodata where no observer sees a cell or the surface has no data), as
 * ArcGIS combines viewsheds, a strip of rows at a time with the surface's validity for the strip.
 */
export async function writeViewshedCount(file: string, dem: string, surface: Shape, count: Int32Array): Promise<void> {
  const valid = await openValidStrips(dem);
  try {
    let mask = new Uint8Array(0);
    const noData = OUTPUT_NODATA.Int32;
    await writeGridStrips(file, surface, 'Int32', async (strip, firstRow, rows) => {
      if (mask.length < strip.length) mask = new Uint8Array(strip.length);
      await valid.read(mask, firstRow, rows);
      setNoData(strip, count, firstRow * surface.width, mask, noData);
    });
  } finally {
    valid.close();
  }
}

// The loops over cells are plain functions of typed arrays: V8 optimises them as such, not as
// closures over variables the caller reassigns (several times slower, bench/raster-analysis.ts).

function addRow(count: Int32Array, to: number, seen: Uint8Array, from: number, n: number): void {
  for (let x = 0; x < n; x++) count[to + x] += seen[from + x] === 0 ? 0 : 1;
}

/** addRow for cells at least sqrt(limit) from the observer (x offset from the window's column `col` on a grid from `ox`; dy the row's). */
function addRowBeyond(count: Int32Array, to: number, seen: Uint8Array, from: number, n: number, ox: number, col: number, px: number, observerX: number, dy: number, limit: number): void {
  for (let x = 0; x < n; x++) {
    if (seen[from + x] === 0) continue;
    const dx = ox + (x + col + 0.5) * px - observerX;
    if (dx * dx + dy * dy >= limit) count[to + x]++;
  }
}

/** The strip of the count starting at cell `offset`, nodata where not valid or not seen. */
function setNoData(strip: Int32Array, count: Int32Array, offset: number, valid: Uint8Array, noData: number): void {
  for (let i = 0; i < strip.length; i++) {
    const n = count[offset + i];
    strip[i] = valid[i] === 0 || n === 0 ? noData : n;
  }
}

/** Where a window gdal_viewshed wrote starts on the surface's grid (it keeps the surface's cells). */
export function windowOffset(window: Pick<Grid, 'geoTransform' | 'width' | 'height'>, surface: Pick<Grid, 'geoTransform' | 'width' | 'height'>): { col: number; row: number } {
  const col = Math.round((window.geoTransform[0] - surface.geoTransform[0]) / surface.geoTransform[1]);
  const row = Math.round((window.geoTransform[3] - surface.geoTransform[3]) / surface.geoTransform[5]);
  if (col < 0 || row < 0 || col + window.width > surface.width || row + window.height > surface.height) throw new Error('gdal_viewshed wrote a window outside the surface');
  return { col, row };
}
