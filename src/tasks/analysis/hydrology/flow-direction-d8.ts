import { D8_CODES, D8_DCOL, D8_DROW, stepLengths } from './d8.js';
import type { Grid } from './grid.js';

export interface D8Result {
  /** Esri codes 1…128; NaN where the surface is NoData. */
  directions: Float64Array;
  /** Percent drop along the chosen direction (ArcGIS's optional drop raster). */
  drops: Float64Array;
}

/** Outward codes of edge cells: the direction straight off the grid (diagonal at corners). */
function outwardCode(row: number, col: number, width: number, height: number): number {
  const top = row === 0;
  const bottom = row === height - 1;
  const left = col === 0;
  const right = col === width - 1;
  if (top && left) return 32;
  if (top && right) return 128;
  if (bottom && left) return 8;
  if (bottom && right) return 2;
  if (top) return 64;
  if (bottom) return 4;
  if (left) return 16;
  return 1;
}

/**
 * ArcGIS's D8 flow direction (Flow Direction tool, D8):
 * - each cell flows to the neighbour with the steepest drop, (z − z_n) / distance, diagonals
 *   being √2 cells away; on ties the first in E, SE, S … NE order wins;
 * - a cell with no lower neighbour but some equal ones gets the sum of those codes (undefined
 *   flow, as ArcGIS marks flats and sink floors); a cell lower than all its neighbours (a sink)
 *   flows to its lowest neighbour;
 * - edge cells and cells beside NoData flow inward when some inner neighbour is lower, otherwise
 *   out of the grid; with `forceFlow` they always flow out.
 * The drop raster holds the percent drop to the chosen neighbour (0 where flow leaves the grid).
 */
export function flowDirectionD8(surface: Grid, forceFlow = false): D8Result {
  const { width, height, values: z } = surface;
  const lengths = stepLengths(surface);
  const directions = new Float64Array(width * height).fill(NaN);
  const drops = new Float64Array(width * height).fill(NaN);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const zi = z[i]!;
      if (Number.isNaN(zi)) continue;
      let best = -Infinity;
      let bestCode = 0;
      let equalCodes = 0;
      const onGridEdge = row === 0 || col === 0 || row === height - 1 || col === width - 1;
      let towardNoData = 0;
      for (let k = 0; k < 8; k++) {
        const r = row + D8_DROW[k]!;
        const c = col + D8_DCOL[k]!;
        if (r < 0 || r >= height || c < 0 || c >= width) continue;
        const zn = z[r * width + c]!;
        if (Number.isNaN(zn)) {
          towardNoData ||= D8_CODES[k]!;
          continue;
        }
        const drop = (zi - zn) / lengths[k]!;
        if (drop === 0) equalCodes += D8_CODES[k]!;
        if (drop > best) {
          best = drop;
          bestCode = D8_CODES[k]!;
        }
      }
      if ((onGridEdge || towardNoData) && (forceFlow || !(best > 0))) {
        directions[i] = onGridEdge ? outwardCode(row, col, width, height) : towardNoData;
        drops[i] = 0;
      } else if (best > 0 || (best < 0 && bestCode !== 0)) {
        directions[i] = bestCode;
        drops[i] = best * 100;
      } else {
        directions[i] = equalCodes;
        drops[i] = 0;
      }
    }
  }
  return { directions, drops };
}
