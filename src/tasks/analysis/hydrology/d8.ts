import { cellSizes, type Grid } from './grid.js';

/**
 * Esri D8 direction codes, clockwise from east:
 * ```
 *  32  64 128
 *  16   x   1
 *   8   4   2
 * ```
 */
export const D8_CODES = [1, 2, 4, 8, 16, 32, 64, 128] as const;
/** Row and column steps of each code, in D8_CODES order. */
export const D8_DROW = [0, 1, 1, 1, 0, -1, -1, -1] as const;
export const D8_DCOL = [1, 1, 0, -1, -1, -1, 0, 1] as const;

/** Index into D8_CODES of a single-direction code, or -1 (0, NoData, or a sum of several). */
export function codeIndex(code: number): number {
  switch (code) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    case 16: return 4;
    case 32: return 5;
    case 64: return 6;
    case 128: return 7;
    default: return -1;
  }
}

/**
 * The cell each cell drains to under a D8 direction grid: an index, or -1 where flow leaves the
 * grid, enters NoData, or is undefined (a sink's summed code).
 */
export function downstreamOf(directions: Grid): Int32Array {
  const { width, height, values } = directions;
  const down = new Int32Array(width * height).fill(-1);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const k = codeIndex(values[i]!);
      if (k < 0) continue;
      const r = row + D8_DROW[k]!;
      const c = col + D8_DCOL[k]!;
      if (r < 0 || r >= height || c < 0 || c >= width) continue;
      const j = r * width + c;
      if (!Number.isNaN(values[j]!)) down[i] = j;
    }
  }
  return down;
}

/**
 * Cells in an order where every cell comes after all cells draining into it (Kahn's algorithm).
 * Cells caught in a loop (which a valid direction grid has none of) are left out.
 */
export function upstreamFirstOrder(down: Int32Array): Int32Array {
  const n = down.length;
  const inflow = new Int32Array(n);
  for (let i = 0; i < n; i++) if (down[i]! >= 0) inflow[down[i]!]++;
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (inflow[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const j = down[order[head]!]!;
    if (j >= 0 && --inflow[j]! === 0) order[tail++] = j;
  }
  return order.subarray(0, tail);
}

/** Horizontal length of one step in each D8 direction. */
export function stepLengths(grid: Pick<Grid, 'geoTransform'>): number[] {
  const { dx, dy } = cellSizes(grid);
  return D8_DROW.map((dr, k) => Math.hypot(dr * dy, D8_DCOL[k]! * dx));
}
