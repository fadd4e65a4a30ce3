import type { FloatGrid } from './float-grid.js';
import { cellSizes, type Grid } from './grid.js';

/**
 * D-infinity (Tarboton 1997) as ArcGIS writes it: the steepest downslope direction over the
 * eight triangular facets around a cell, in degrees counter-clockwise from east (0 ≤ a < 360).
 *
 * SAGA's "maximum triangle slope (Tarboton 1997)" (ta_morphometry 0, METHOD 1) computes the
 * angles; it extrapolates the surface past the grid's edge, so cells on the edge or beside
 * NoData are recomputed here over the facets that lie inside, with ArcGIS's D8 edge rule: flow
 * out of the grid when no facet inside is downslope (or always, with forceFlow).
 */

/** Row/column steps of the neighbours at 0°, 45° … 315° (counter-clockwise from east). */
const DROW = [0, -1, -1, -1, 0, 1, 1, 1] as const;
const DCOL = [1, 1, 0, -1, -1, -1, 0, 1] as const;

/** SAGA aspect (degrees clockwise from north, downslope) → D-infinity angle. */
export function aspectToAngle(aspect: number): number {
  if (!(aspect >= 0)) return NaN;
  let angle: number;
  if (aspect <= 360) {
    // ((90 − a) mod 360 + 360) mod 360 without fmod (a C call per cell): 90 − a lies within
    // ±360, so the first mod leaves it as it is and the second is one exact subtraction.
    angle = 90 - aspect + 360;
    if (angle >= 360) angle -= 360;
  } else {
    angle = (((90 - aspect) % 360) + 360) % 360;
  }
  return angle >= 360 - 1e-9 ? 0 : angle;
}

/** The angle straight off the grid at an edge cell (diagonal at corners), as D8's outward codes. */
function outwardAngle(row: number, col: number, width: number, height: number): number {
  const dy = row === 0 ? 1 : row === height - 1 ? -1 : 0;
  const dx = col === 0 ? -1 : col === width - 1 ? 1 : 0;
  return ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360;
}

/**
 * Tarboton's facet search at one cell over the neighbours inside the grid and not NoData:
 * the angle and slope (rise over run) of the steepest facet; angle NaN when none is downslope.
 */
export function facetAngle(surface: FloatGrid, row: number, col: number): { angle: number; slope: number } {
  const { width, height, values: z } = surface;
  const { dx, dy } = cellSizes(surface);
  const z0 = z[row * width + col]!;
  const at = (k: number) => {
    const r = row + DROW[k % 8]!;
    const c = col + DCOL[k % 8]!;
    return r < 0 || r >= height || c < 0 || c >= width ? NaN : z[r * width + c]!;
  };
  let best = 0;
  let angle = NaN;
  for (let k = 0; k < 8; k++) {
    // Facet between direction k and k+1: one is cardinal (e1), the other diagonal (e2).
    const cardinal = k % 2 === 0 ? k : k + 1;
    const diagonal = k % 2 === 0 ? k + 1 : k;
    const z1 = at(cardinal);
    const z2 = at(diagonal);
    if (Number.isNaN(z1) || Number.isNaN(z2)) continue;
    const horizontal = cardinal % 4 === 0;
    const d1 = horizontal ? dx : dy;
    const d2 = horizontal ? dy : dx;
    const s1 = (z0 - z1) / d1;
    const s2 = (z1 - z2) / d2;
    let r = Math.atan2(s2, s1);
    let s = Math.hypot(s1, s2);
    const rMax = Math.atan2(d2, d1);
    if (r < 0) {
      r = 0;
      s = s1;
    } else if (r > rMax) {
      r = rMax;
      s = (z0 - z2) / Math.hypot(d1, d2);
    }
    if (s > best) {
      best = s;
      // r runs from the cardinal toward the diagonal neighbour.
      const base = (cardinal % 8) * 45;
      const toward = diagonal > cardinal ? 1 : -1;
      angle = (((base + toward * ((r * 180) / Math.PI)) % 360) + 360) % 360;
    }
  }
  return { angle, slope: best };
}

/**
 * D-infinity angles and percent drops from SAGA's aspect (degrees clockwise from north) and slope
 * (percent) grids, edge cells and cells beside NoData recomputed here. Cells with no downslope
 * facet inside the grid (flats, sink floors) are NoData, except on the edge where they flow out
 * (drop 0). Without `sagaSlope` (no drop raster asked for) there are no drops. `angles`: where
 * to put them, every cell set; it may be `sagaAspect` itself (each cell's aspect is read before
 * its angle is written), which spares two whole grids of fresh doubles, the angles and their
 * Float32 copy to write: on 2,000² grids their page faults cost more than the pass itself.
 */
export function dinfAngles<T extends Float32Array | Float64Array = Float64Array>(
  surface: FloatGrid,
  sagaAspect: Float32Array | Float64Array,
  sagaSlope: Float32Array | Float64Array | undefined,
  forceFlow = false,
  angles: T = new Float64Array(surface.width * surface.height) as T,
): { angles: T; drops: Float64Array | undefined } {
  const { width, height, values: z } = surface;
  const drops = sagaSlope && new Float64Array(width * height).fill(NaN);
  const besideNoData = cellsBesideNoData(surface);
  for (let row = 0; row < height; row++) {
    const innerRow = row > 0 && row < height - 1;
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      if (Number.isNaN(z[i]!)) {
        angles[i] = NaN;
        continue;
      }
      const onGridEdge = !innerRow || col === 0 || col === width - 1;
      if (!onGridEdge && !besideNoData?.[i]) {
        const angle = aspectToAngle(sagaAspect[i]!);
        angles[i] = angle;
        if (drops && !Number.isNaN(angle)) drops[i] = sagaSlope![i]!;
        continue;
      }
      const inside = forceFlow && onGridEdge ? { angle: NaN, slope: 0 } : facetAngle(surface, row, col);
      if (Number.isNaN(inside.angle) && onGridEdge) {
        angles[i] = outwardAngle(row, col, width, height);
        if (drops) drops[i] = 0;
      } else {
        angles[i] = inside.angle;
        if (drops && !Number.isNaN(inside.angle)) drops[i] = inside.slope * 100;
      }
    }
  }
  return { angles, drops };
}

/**
 * 1 for the cells with a NoData neighbour (of eight); undefined when the grid has no NoData, as
 * most DEMs: one pass over the grid instead of eight neighbour reads per cell.
 */
function cellsBesideNoData(surface: FloatGrid): Uint8Array | undefined {
  const { width, height, values: z } = surface;
  let marks: Uint8Array | undefined;
  for (let i = 0; i < z.length; i++) {
    if (!Number.isNaN(z[i]!)) continue;
    marks ??= new Uint8Array(z.length);
    const row = Math.floor(i / width);
    const col = i - row * width;
    for (let k = 0; k < 8; k++) {
      const r = row + DROW[k]!;
      const c = col + DCOL[k]!;
      if (r >= 0 && r < height && c >= 0 && c < width) marks[r * width + c] = 1;
    }
  }
  return marks;
}

/**
 * ArcGIS Flow Accumulation over D-infinity angles: each cell passes its inflow plus its own
 * weight to the two neighbours bounding its angle, in proportion to how close the angle is to
 * each (Tarboton 1997). The cell itself is not counted; flow into NoData or off the grid is lost.
 */
export function dinfAccumulation(angles: Grid, weights?: Grid): Float64Array {
  const { width, height, values } = angles;
  const n = width * height;
  const targets = new Int32Array(2 * n).fill(-1);
  const shares = new Float64Array(2 * n);
  const inflow = new Int32Array(n);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const a = values[i]!;
      if (Number.isNaN(a) || a < 0) continue;
      const sector = Math.floor(a / 45) % 8;
      const fraction = (a - sector * 45) / 45;
      for (const [slot, k, share] of [[0, sector, 1 - fraction], [1, (sector + 1) % 8, fraction]] as const) {
        if (share <= 1e-12) continue;
        const r = row + DROW[k]!;
        const c = col + DCOL[k]!;
        if (r < 0 || r >= height || c < 0 || c >= width || Number.isNaN(values[r * width + c]!)) continue;
        targets[2 * i + slot] = r * width + c;
        shares[2 * i + slot] = share;
        inflow[r * width + c]++;
      }
    }
  }
  // Kahn's order: a cell passes its flow on once everything above it has arrived.
  const accumulation = new Float64Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (inflow[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const w = weights ? weights.values[i]! : 1;
    const out = accumulation[i]! + (Number.isNaN(w) ? 0 : w);
    for (let slot = 0; slot < 2; slot++) {
      const j = targets[2 * i + slot]!;
      if (j < 0) continue;
      accumulation[j]! += out * shares[2 * i + slot]!;
      if (--inflow[j]! === 0) queue[tail++] = j;
    }
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) accumulation[i] = NaN;
  return accumulation;
}
