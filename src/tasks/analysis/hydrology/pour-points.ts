import { TaskError } from '../../../jobs/task.js';
import type { EsriFeature } from '../engine-feature-input.js';
import type { Grid } from './grid.js';

/**
 * Pour points given as point features, burnt onto the direction grid: each point marks the cell
 * it falls in with its `pourPointField` value (default: its OBJECTID, else its position 1, 2, …).
 * Points outside the grid are skipped. Features must be in the raster's spatial reference.
 */
export function burnPourPoints(grid: Grid, features: EsriFeature[], field: string | undefined): { values: Float64Array; burnt: number } {
  const values = new Float64Array(grid.width * grid.height).fill(NaN);
  const [x0, sx, , y0, , sy] = grid.geoTransform as [number, number, number, number, number, number];
  let burnt = 0;
  features.forEach((feature, index) => {
    const geometry = feature.geometry as { x?: unknown; y?: unknown } | null | undefined;
    const x = Number(geometry?.x);
    const y = Number(geometry?.y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new TaskError('Pour point features must be points.');
    const col = Math.floor((x - x0) / sx);
    const row = Math.floor((y - y0) / sy);
    if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) return;
    values[row * grid.width + col] = pourValue(feature, field, index);
    burnt++;
  });
  return { values, burnt };
}

function pourValue(feature: EsriFeature, field: string | undefined, index: number): number {
  const attributes = feature.attributes ?? {};
  const key = field ? Object.keys(attributes).find((k) => k.toLowerCase() === field.toLowerCase()) : Object.keys(attributes).find((k) => /^(objectid|fid|oid)$/i.test(k));
  if (field && key === undefined) throw new TaskError(`pourPointField '${field}' is not a field of the pour points.`);
  const value = key === undefined ? index + 1 : Number(attributes[key]);
  if (!Number.isFinite(value)) throw new TaskError(`pourPointField '${field}' must hold numbers.`);
  return value;
}
