import type { PixelBlock } from '../pixel-block.js';

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
 * `visit(row, gx, gy, valid)` gets one row at a time, in reused row buffers; `valid` is the row's
 * cells with data (1), the only ones whose gx, gy are set. Returns the output mask: the input's
 * where a cell has data.
 * Speed (bench/terrain-kernels.ts): each row is copied once into a row of doubles, NaN where it has
 * no data and one NaN beyond each end, so that the kernel is one plain loop over Float64Arrays
 * whatever the band's type (a loop seeing several array types goes megamorphic) and a missing
 * neighbour is a NaN test instead of mask lookups and bounds checks.
 */
export function hornRows(block: PixelBlock, visit: (row: number, gx: Float64Array, gy: Float64Array, valid: Uint8Array) => void): Uint8Array {
  const { width, height, mask } = block;
  const outMask = new Uint8Array(width * height);
  const gx = new Float64Array(width);
  const gy = new Float64Array(width);
  const valid = new Uint8Array(width);
  // Rows above, at and below the one computed, each padded by one NaN on both sides.
  let above = new Float64Array(width + 2).fill(Number.NaN);
  let centre = new Float64Array(width + 2);
  let below = new Float64Array(width + 2);
  loadRow(block, 0, centre);
  for (let row = 0; row < height; row++) {
    if (row + 1 < height) loadRow(block, row + 1, below);
    else below.fill(Number.NaN);
    kernelRow(above, centre, below, width, gx, gy, valid);
    const i0 = row * width;
    for (let col = 0; col < width; col++) outMask[i0 + col] = valid[col] === 0 ? 0 : mask[i0 + col];
    visit(row, gx, gy, valid);
    [above, centre, below] = [centre, below, above];
  }
  return outMask;
}

/** Row `row` of the first band as doubles at 1 … width of `out`, NaN where the mask is 0 and at both ends. */
function loadRow(block: PixelBlock, row: number, out: Float64Array): void {
  const { width, mask } = block;
  const i0 = row * width;
  // set() converts any typed array natively: the loops here only ever see Float64 and Uint8.
  out.set(block.bands[0].subarray(i0, i0 + width), 1);
  out[0] = Number.NaN;
  out[width + 1] = Number.NaN;
  for (let col = 0; col < width; col++) if (mask[i0 + col] === 0) out[col + 1] = Number.NaN;
}

/** gx, gy and valid of one row from its padded neighbour rows (NaN: no data, use the centre). */
function kernelRow(up: Float64Array, mid: Float64Array, down: Float64Array, width: number, gx: Float64Array, gy: Float64Array, valid: Uint8Array): void {
  for (let col = 0; col < width; col++) {
    const z = mid[col + 1];
    if (z !== z) {
      valid[col] = 0;
      continue;
    }
    valid[col] = 1;
    let a = up[col];
    let b = up[col + 1];
    let c = up[col + 2];
    let d = mid[col];
    let f = mid[col + 2];
    let g = down[col];
    let h = down[col + 1];
    let k = down[col + 2];
    if (a !== a) a = z;
    if (b !== b) b = z;
    if (c !== c) c = z;
    if (d !== d) d = z;
    if (f !== f) f = z;
    if (g !== g) g = z;
    if (h !== h) h = z;
    if (k !== k) k = z;
    gx[col] = c + 2 * f + k - (a + 2 * d + g);
    gy[col] = g + 2 * h + k - (a + 2 * b + c);
  }
}
