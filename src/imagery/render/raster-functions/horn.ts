import type { BandArray, PixelBlock } from '../pixel-block.js';

/**
 * Horn's 3×3 sums of the first band, the part of slope, aspect and hillshade they share (as
 * `gdaldem` and ArcGIS): for neighbours
 *
 *     a b c
 *     d · f
 *     g h k
 *
 * `gx` = c + 2f + k − (a + 2d + g) and `gy` = g + 2h + k − (a + 2b + c), each function scaling
 * them itself. A neighbour off the block or without data (mask 0 or NaN) takes the centre's value.
 * `visit(row, gx, gy, valid)` gets one row at a time, in reused row buffers; `valid` is the
 * block's cells with data (1), for all rows. No call per cell: plain loops over typed arrays are
 * what V8 makes fast (several times the speed of a closure per cell, bench/raster-analysis.ts).
 */
export function hornRows(block: PixelBlock, visit: (row: number, gx: Float64Array, gy: Float64Array, valid: Uint8Array) => void): Uint8Array {
  const { width, height, mask } = block;
  const e = block.bands[0];
  const valid = new Uint8Array(width * height);
  let invalid = 0;
  for (let i = 0; i < valid.length; i++) {
    const v = mask[i] !== 0 && e[i] === e[i] ? 1 : 0;
    valid[i] = v;
    invalid += 1 - v;
  }
  const gx = new Float64Array(width);
  const gy = new Float64Array(width);
  for (let row = 0; row < height; row++) {
    if (row > 0 && row < height - 1 && width > 2) {
      innerRow(e, valid, width, height, row, gx, gy, invalid > 0);
      edgeCell(e, valid, width, height, 0, row, gx, gy);
      edgeCell(e, valid, width, height, width - 1, row, gx, gy);
    } else {
      for (let col = 0; col < width; col++) edgeCell(e, valid, width, height, col, row, gx, gy);
    }
    visit(row, gx, gy, valid);
  }
  return valid;
}

/**
 * Columns 1 … width − 2 of an inner row. `checked` when some cell of the block lacks data: a
 * cell beside one then takes the slow path (a block with data everywhere skips the tests).
 */
function innerRow(e: BandArray, valid: Uint8Array, width: number, height: number, row: number, gx: Float64Array, gy: Float64Array, checked: boolean): void {
  const i0 = row * width;
  for (let col = 1; col < width - 1; col++) {
    const i = i0 + col;
    const up = i - width;
    const down = i + width;
    if (checked) {
      if (valid[i] === 0) continue;
      if (valid[up - 1] === 0 || valid[up] === 0 || valid[up + 1] === 0 || valid[i - 1] === 0 || valid[i + 1] === 0 || valid[down - 1] === 0 || valid[down] === 0 || valid[down + 1] === 0) {
        edgeCell(e, valid, width, height, col, row, gx, gy);
        continue;
      }
    }
    const a = e[up - 1];
    const b = e[up];
    const c = e[up + 1];
    const d = e[i - 1];
    const f = e[i + 1];
    const g = e[down - 1];
    const h = e[down];
    const k = e[down + 1];
    gx[col] = c + 2 * f + k - (a + 2 * d + g);
    gy[col] = g + 2 * h + k - (a + 2 * b + c);
  }
}

/** One cell by the general rule (missing neighbours take the centre's value); nothing where it has no data. */
function edgeCell(e: BandArray, valid: Uint8Array, width: number, height: number, col: number, row: number, gx: Float64Array, gy: Float64Array): void {
  const i = row * width + col;
  if (valid[i] === 0) return;
  const z = e[i];
  const at = (dc: number, dr: number): number => {
    const c = col + dc;
    const r = row + dr;
    if (c < 0 || r < 0 || c >= width || r >= height) return z;
    const j = r * width + c;
    return valid[j] === 0 ? z : e[j];
  };
  const a = at(-1, -1);
  const b = at(0, -1);
  const c = at(1, -1);
  const d = at(-1, 0);
  const f = at(1, 0);
  const g = at(-1, 1);
  const h = at(0, 1);
  const k = at(1, 1);
  gx[col] = c + 2 * f + k - (a + 2 * d + g);
  gy[col] = g + 2 * h + k - (a + 2 * b + c);
}
