import { codeIndex, downstreamOf, stepLengths, upstreamFirstOrder } from './d8.js';
import type { Grid } from './grid.js';

/**
 * ArcGIS Flow Accumulation (D8): for each cell, the number (or summed weight) of cells that flow
 * into it — the cell itself not included, so ridge cells are 0. NoData where the direction is
 * NoData; a NoData weight counts as 0.
 */
export function flowAccumulation(directions: Grid, weights?: Grid): Float64Array {
  const down = downstreamOf(directions);
  const order = upstreamFirstOrder(down);
  const n = down.length;
  const accumulation = new Float64Array(n);
  for (const i of order) {
    const j = down[i]!;
    if (j < 0) continue;
    const w = weights ? weights.values[i]! : 1;
    accumulation[j]! += accumulation[i]! + (Number.isNaN(w) ? 0 : w);
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(directions.values[i]!)) accumulation[i] = NaN;
  return accumulation;
}

/** A stream cell: a value that is not NoData and not 0 (ArcGIS treats 0 as no stream). */
function isStream(value: number): boolean {
  return !Number.isNaN(value) && value !== 0;
}

/**
 * ArcGIS Stream Link: each stretch of stream between a source or junction and the next junction
 * or outlet gets its own id, 1, 2, … numbered by the stretch's first cell in row order. Cells that
 * are not streams are NoData.
 */
export function streamLink(streams: Grid, directions: Grid): Float64Array {
  const down = downstreamOf(directions);
  const n = down.length;
  const inflow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (isStream(streams.values[i]!) && down[i]! >= 0 && isStream(streams.values[down[i]!]!)) inflow[down[i]!]++;
  }
  const links = new Float64Array(n).fill(NaN);
  let next = 1;
  for (let i = 0; i < n; i++) if (isStream(streams.values[i]!) && inflow[i] !== 1) links[i] = next++;
  // A cell with exactly one stream cell above it continues that cell's link.
  for (const i of upstreamFirstOrder(down)) {
    if (!isStream(streams.values[i]!)) continue;
    const j = down[i]!;
    if (j >= 0 && isStream(streams.values[j]!) && inflow[j] === 1) links[j] = links[i]!;
  }
  return links;
}

/**
 * ArcGIS Watershed: every cell gets the value of the pour point it drains to first (following
 * D8 directions downstream); cells draining to no pour point are NoData. Pour point cells keep
 * their own value, so nested pour points split a basin.
 */
export function watershed(directions: Grid, pourPoints: Float64Array): Float64Array {
  const down = downstreamOf(directions);
  const order = upstreamFirstOrder(down);
  const labels = new Float64Array(down.length).fill(NaN);
  for (let i = 0; i < labels.length; i++) if (!Number.isNaN(pourPoints[i]!)) labels[i] = pourPoints[i]!;
  // Downstream first: each cell takes its receiver's label unless it is a pour point itself.
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    if (!Number.isNaN(pourPoints[i]!) || Number.isNaN(directions.values[i]!)) continue;
    const j = down[i]!;
    if (j >= 0) labels[i] = labels[j]!;
  }
  return labels;
}

export type FlowDistanceType = 'VERTICAL' | 'HORIZONTAL';

/**
 * ArcGIS Flow Distance (D8): for each cell, the distance along its flow path down to the first
 * stream cell reached — horizontal (path length) or vertical (its height above that stream
 * cell). Stream cells are 0; cells whose path leaves the grid without meeting a stream are NoData.
 */
export function flowDistance(streams: Grid, surface: Grid, directions: Grid, type: FlowDistanceType): Float64Array {
  const down = downstreamOf(directions);
  const order = upstreamFirstOrder(down);
  const lengths = stepLengths(directions);
  const n = down.length;
  const horizontal = new Float64Array(n).fill(NaN);
  const target = new Int32Array(n).fill(-1);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    if (Number.isNaN(directions.values[i]!)) continue;
    if (isStream(streams.values[i]!)) {
      horizontal[i] = 0;
      target[i] = i;
      continue;
    }
    const j = down[i]!;
    if (j < 0 || target[j]! < 0) continue;
    horizontal[i] = horizontal[j]! + lengths[codeIndex(directions.values[i]!)]!;
    target[i] = target[j]!;
  }
  if (type === 'HORIZONTAL') return horizontal;
  const vertical = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) if (target[i]! >= 0) vertical[i] = surface.values[i]! - surface.values[target[i]!]!;
  return vertical;
}
