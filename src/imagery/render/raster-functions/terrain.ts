import type { PixelBlock } from '../pixel-block.js';
import { numberArg, type FunctionArguments, type FunctionContext, type RasterFunction } from './raster-function.js';

/**
 * Horn's 3×3 gradient of the first band, as `gdaldem` and ArcGIS compute it: dz/dx and dz/dy in
 * z units per ground metre (cell sizes from the context). A missing neighbour takes the centre's
 * value, as in Hillshade. Calls `write(i, dzdx, dzdy)` for every cell with data.
 */
function gradient(block: PixelBlock, context: FunctionContext, z: number, write: (i: number, dzdx: number, dzdy: number) => void): void {
  const { width, height, mask } = block;
  const e = block.bands[0];
  const [cellX, cellY] = context.cellSize;
  const at = (col: number, row: number, fallback: number): number => {
    if (col < 0 || row < 0 || col >= width || row >= height) return fallback;
    const i = row * width + col;
    return mask[i] === 0 || Number.isNaN(e[i]) ? fallback : e[i];
  };
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      if (mask[i] === 0 || Number.isNaN(e[i])) continue;
      const c = e[i];
      const [a, b, cc, d, f, g, h, k] = [at(col - 1, row - 1, c), at(col, row - 1, c), at(col + 1, row - 1, c), at(col - 1, row, c), at(col + 1, row, c), at(col - 1, row + 1, c), at(col, row + 1, c), at(col + 1, row + 1, c)];
      write(i, (z * (cc + 2 * f + k - (a + 2 * d + g))) / (8 * cellX), (z * (g + 2 * h + k - (a + 2 * b + cc))) / (8 * cellY));
    }
  }
}

function zFactor(args: FunctionArguments, context: FunctionContext): number {
  let z = numberArg(args, 'ZFactor', 1);
  if (numberArg(args, 'SlopeType', 1) === 3) z *= Math.pow((context.cellSize[0] + context.cellSize[1]) / 2, numberArg(args, 'PSPower', 0.664)) * numberArg(args, 'PSZFactor', 0.024);
  return z;
}

function floatBlock(block: PixelBlock): { out: Float32Array; outMask: Uint8Array } {
  return { out: new Float32Array(block.width * block.height), outMask: new Uint8Array(block.width * block.height) };
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
    const { out, outMask } = floatBlock(block);
    gradient(block, context, zFactor(args, context), (i, dzdx, dzdy) => {
      const rise = Math.hypot(dzdx, dzdy);
      out[i] = percent ? rise * 100 : (Math.atan(rise) * 180) / Math.PI;
      outMask[i] = block.mask[i];
    });
    return { width: block.width, height: block.height, bands: [out], mask: outMask, pixelType: 'F32' };
  },
};

/** Aspect: downslope direction in degrees clockwise from north (0–360); flat cells −1. Output F32. */
export const aspectFunction: RasterFunction = {
  description: 'Downslope direction in degrees from north; -1 where flat.',
  margin: () => 1,
  apply: (block, _args, context) => {
    const { out, outMask } = floatBlock(block);
    gradient(block, context, 1, (i, dzdx, dzdy) => {
      if (dzdx === 0 && dzdy === 0) out[i] = -1;
      else {
        // dzdy grows southwards (rows): the downslope vector is (−dzdx, dzdy) in (east, north).
        let degrees = (Math.atan2(-dzdx, dzdy) * 180) / Math.PI;
        if (degrees < 0) degrees += 360;
        out[i] = degrees;
      }
      outMask[i] = block.mask[i];
    });
    return { width: block.width, height: block.height, bands: [out], mask: outMask, pixelType: 'F32' };
  },
};
