import type { PixelBlock } from '../pixel-block.js';
import { hornRows } from './horn.js';
import { numberArg, type FunctionArguments, type FunctionContext, type RasterFunction } from './raster-function.js';

function zFactor(args: FunctionArguments, context: FunctionContext): number {
  let z = numberArg(args, 'ZFactor', 1);
  if (numberArg(args, 'SlopeType', 1) === 3) z *= Math.pow((context.cellSize[0] + context.cellSize[1]) / 2, numberArg(args, 'PSPower', 0.664)) * numberArg(args, 'PSZFactor', 0.024);
  return z;
}

/**
 * dz/dx and dz/dy (Horn's, as `gdaldem` and ArcGIS: z units per ground metre, cell sizes from the
 * context) of every cell with data, a row at a time: `row(i0, dzdx, dzdy, valid)` computes the row
 * from index i0 (each its own plain loop: no call per cell). Returns the F32 output, its mask
 * (the input's where a cell has data) and where the row callback writes.
 */
function gradientRows(block: PixelBlock, context: FunctionContext, z: number, out: Float32Array, row: (i0: number, dzdx: Float64Array, dzdy: Float64Array, valid: Uint8Array) => void): PixelBlock {
  const { width, height } = block;
  const [cellX, cellY] = context.cellSize;
  const dzdx = new Float64Array(width);
  const dzdy = new Float64Array(width);
  const outMask = hornRows(block, (r, gx, gy, valid) => {
    scaleRow(gx, gy, z, 8 * cellX, 8 * cellY, dzdx, dzdy);
    row(r * width, dzdx, dzdy, valid);
  });
  return { width, height, bands: [out], mask: outMask, pixelType: 'F32' };
}

/** (z · gx) / sx and (z · gy) / sy, the gradient in the order of operations the functions have always used. */
function scaleRow(gx: Float64Array, gy: Float64Array, z: number, sx: number, sy: number, dzdx: Float64Array, dzdy: Float64Array): void {
  for (let col = 0; col < gx.length; col++) {
    dzdx[col] = (z * gx[col]) / sx;
    dzdy[col] = (z * gy[col]) / sy;
  }
}

function slopeRow(out: Float32Array, i0: number, dzdx: Float64Array, dzdy: Float64Array, valid: Uint8Array, percent: boolean): void {
  for (let col = 0; col < dzdx.length; col++) {
    if (valid[col] === 0) continue;
    const rise = Math.hypot(dzdx[col], dzdy[col]);
    out[i0 + col] = percent ? rise * 100 : (Math.atan(rise) * 180) / Math.PI;
  }
}

function aspectRow(out: Float32Array, i0: number, dzdx: Float64Array, dzdy: Float64Array, valid: Uint8Array): void {
  for (let col = 0; col < dzdx.length; col++) {
    if (valid[col] === 0) continue;
    const x = dzdx[col];
    const y = dzdy[col];
    if (x === 0 && y === 0) out[i0 + col] = -1;
    else {
      // dzdy grows southwards (rows): the downslope vector is (−dzdx, dzdy) in (east, north).
      let degrees = (Math.atan2(-x, y) * 180) / Math.PI;
      if (degrees < 0) degrees += 360;
      out[i0 + col] = degrees;
    }
  }
}

/**
 * Slope of an elevation surface: `SlopeType` 1 degrees (default), 2 percent rise, 3 scaled
 * degrees (z grown with the cell size by `PSPower`/`PSZFactor`, as Hillshade does). Output F32.
 */
export const slopeFunction: RasterFunction = {
  description: 'Rate of change of elevation (degrees, percent rise or scaled).',
  margin: () => 1,
  apply: (block, args, context) => {
    const percent = numberArg(args, 'SlopeType', 1) === 2;
    const out = new Float32Array(block.width * block.height);
    return gradientRows(block, context, zFactor(args, context), out, (i0, dzdx, dzdy, valid) => slopeRow(out, i0, dzdx, dzdy, valid, percent));
  },
};

/** Aspect: downslope direction in degrees clockwise from north (0–360); flat cells −1. Output F32. */
export const aspectFunction: RasterFunction = {
  description: 'Downslope direction in degrees from north; -1 where flat.',
  margin: () => 1,
  apply: (block, _args, context) => {
    const out = new Float32Array(block.width * block.height);
    return gradientRows(block, context, 1, out, (i0, dzdx, dzdy, valid) => aspectRow(out, i0, dzdx, dzdy, valid));
  },
};
