import gdal from 'gdal-async';
import { OUTPUT_NODATA, openValidStrips, writeGridStrips, type Grid } from './grid-io.js';

/** One observer's gdal_viewshed output (1 seen, 0 not) and what the count needs of the observer. */
export interface ViewshedFile {
  file: string;
  x: number;
  y: number;
  minDistance?: number;
}

type Shape = Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>;

/**
 * Writes, on the surface's grid, the number of observers that see each cell (Int32; nodata where
 * none does or the surface has no data), as ArcGIS combines viewsheds. One pass a strip of rows
 * at a time: each viewshed's rows in the strip are added, and the strip is written at once (no
 * whole-grid count, mask or copy). A viewshed may cover only a window of the surface (gdal_viewshed
 * with a maximum distance); cells nearer than an observer's minimum distance are not seen.
 */
export async function writeViewshedCount(file: string, dem: string, surface: Shape, views: ViewshedFile[]): Promise<void> {
  const valid = await openValidStrips(dem);
  const opened: Array<Awaited<ReturnType<typeof openWindow>>> = [];
  try {
    for (const view of views) opened.push(await openWindow(view, surface));
    const { width } = surface;
    const [ox, px, , oy, , py] = surface.geoTransform;
    let seen = new Uint8Array(0);
    let mask = new Uint8Array(0);
    const noData = OUTPUT_NODATA.Int32;
    await writeGridStrips(file, surface, 'Int32', async (count, firstRow, rows) => {
      count.fill(0);
      for (const w of opened) {
        const top = Math.max(firstRow, w.row);
        const bottom = Math.min(firstRow + rows, w.row + w.height);
        if (top >= bottom) continue;
        if (seen.length < (bottom - top) * w.width) seen = new Uint8Array((bottom - top) * w.width);
        await w.band.pixels.readAsync(0, top - w.row, w.width, bottom - top, seen.subarray(0, (bottom - top) * w.width));
        const limit = w.view.minDistance ? w.view.minDistance ** 2 : 0;
        for (let y = top; y < bottom; y++) {
          const from = (y - top) * w.width;
          const to = (y - firstRow) * width + w.col;
          if (limit === 0) addRow(count, to, seen, from, w.width);
          else addRowBeyond(count, to, seen, from, w.width, ox, w.col, px, w.view.x, oy + (y + 0.5) * py - w.view.y, limit);
        }
      }
      if (mask.length < count.length) mask = new Uint8Array(count.length);
      await valid.read(mask, firstRow, rows);
      setNoData(count, mask, noData);
    });
  } finally {
    for (const w of opened) w.dataset.close();
    valid.close();
  }
}

// The loops over cells are plain functions of typed arrays: V8 optimises them as such, not as
// closures over variables the strip loop reassigns (several times slower, bench/raster-analysis.ts).

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

function setNoData(count: Int32Array, valid: Uint8Array, noData: number): void {
  for (let i = 0; i < count.length; i++) if (valid[i] === 0 || count[i] === 0) count[i] = noData;
}

async function openWindow(view: ViewshedFile, surface: Shape): Promise<{ view: ViewshedFile; dataset: gdal.Dataset; band: gdal.RasterBand; col: number; row: number; width: number; height: number }> {
  const dataset = await gdal.openAsync(view.file);
  const { x: width, y: height } = await dataset.rasterSizeAsync;
  const { col, row } = windowOffset({ geoTransform: (await dataset.geoTransformAsync) ?? [0, 1, 0, 0, 0, -1], width, height }, surface);
  return { view, dataset, band: await dataset.bands.getAsync(1), col, row, width, height };
}

/** Where a window gdal_viewshed wrote starts on the surface's grid (it keeps the surface's cells). */
export function windowOffset(window: Pick<Grid, 'geoTransform' | 'width' | 'height'>, surface: Pick<Grid, 'geoTransform' | 'width' | 'height'>): { col: number; row: number } {
  const col = Math.round((window.geoTransform[0] - surface.geoTransform[0]) / surface.geoTransform[1]);
  const row = Math.round((window.geoTransform[3] - surface.geoTransform[3]) / surface.geoTransform[5]);
  if (col < 0 || row < 0 || col + window.width > surface.width || row + window.height > surface.height) throw new Error('gdal_viewshed wrote a window outside the surface');
  return { col, row };
}
