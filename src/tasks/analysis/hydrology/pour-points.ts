import { TaskError } from '../../../jobs/task.js';
import type { InputPoint } from '../read-points.js';
import type { Grid } from './grid.js';

/**
 * Pour points given as point features, burnt onto the direction grid: each point marks the cell
 * it falls in with its `pourPointField` value (default: its OBJECTID, else its position 1, 2, …).
 * Points outside the grid are skipped. Points must be in the raster's spatial reference
 * (`readPoints` projects them).
 */
export function burnPourPoints(grid: Pick<Grid, 'width' | 'height' | 'geoTransform'>, features: InputPoint[], field: string | undefined): { values: Float64Array; burnt: number } {
  const values = new Float64Array(grid.width * grid.height).fill(NaN);
  const [x0, sx, , y0, , sy] = grid.geoTransform as [number, number, number, number, number, number];
  let burnt = 0;
  features.forEach((feature, index) => {
    const { x, y } = feature;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new TaskError('Pour point features must be points.');
    const col = Math.floor((x - x0) / sx);
    const row = Math.floor((y - y0) / sy);
    if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) return;
    values[row * grid.width + col] = pourValue(feature, field, index);
    burnt++;
  });
  return { values, burnt };
}

function pourValue(feature: InputPoint, field: string | undefined, index: number): number {
  const { attributes } = feature;
  const key = field ? Object.keys(attributes).find((k) => k.toLowerCase() === field.toLowerCase()) : Object.keys(attributes).find((k) => /^(objectid|fid|oid)$/i.test(k));
  if (field && key === undefined) throw new TaskError(`pourPointField '${field}' is not a field of the pour points.`);
  const value = key === undefined ? index + 1 : Number(attributes[key]);
  if (!Number.isFinite(value)) throw new TaskError(`pourPointField '${field}' must hold numbers.`);
  return value;
}

/**
 * Snap Pour Point as ArcGIS does it: each pour cell moves to the cell of highest flow
 * accumulation within `distance` (map units, cell centre to cell centre); ties keep the nearer
 * cell. Several points landing on one cell: the last one (in row order) keeps it.
 */
export function snapPourPoints(grid: Pick<Grid, 'width' | 'height' | 'geoTransform'>, pourPoints: Float64Array, accumulation: Float64Array, distance: number): Float64Array {
  const { width, height } = grid;
  const dx = Math.hypot(grid.geoTransform[1]!, grid.geoTransform[4]!);
  const dy = Math.hypot(grid.geoTransform[2]!, grid.geoTransform[5]!);
  const rx = Math.floor(distance / dx);
  const ry = Math.floor(distance / dy);
  const snapped = new Float64Array(pourPoints.length).fill(NaN);
  for (let i = 0; i < pourPoints.length; i++) {
    if (Number.isNaN(pourPoints[i]!)) continue;
    const row = Math.floor(i / width);
    const col = i % width;
    let best = i;
    let bestAcc = Number.isNaN(accumulation[i]!) ? -Infinity : accumulation[i]!;
    let bestD2 = 0;
    for (let r = Math.max(0, row - ry); r <= Math.min(height - 1, row + ry); r++) {
      for (let c = Math.max(0, col - rx); c <= Math.min(width - 1, col + rx); c++) {
        const d2 = ((c - col) * dx) ** 2 + ((r - row) * dy) ** 2;
        if (d2 > distance * distance) continue;
        const a = accumulation[r * width + c]!;
        if (Number.isNaN(a)) continue;
        if (a > bestAcc || (a === bestAcc && d2 < bestD2)) {
          best = r * width + c;
          bestAcc = a;
          bestD2 = d2;
        }
      }
    }
    snapped[best] = pourPoints[i]!;
  }
  return snapped;
}
