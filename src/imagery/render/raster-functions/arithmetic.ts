import { ApiError } from '../../../errors.js';
import type { PixelBlock } from '../pixel-block.js';
import { numberArg, type FunctionArguments, type RasterFunction } from './raster-function.js';

/** ArcGIS Arithmetic `Operation` codes this server computes. */
const OPERATIONS: Record<number, (a: number, b: number) => number> = {
  1: (a, b) => a + b,
  2: (a, b) => a - b,
  3: (a, b) => a * b,
  4: (a, b) => a / b,
  5: (a, b) => a ** b,
};

/**
 * Arithmetic of each band with a constant `Raster2` (a number): `Operation` 1 plus, 2 minus,
 * 3 times, 4 divide, 5 power; also reachable as the Plus, Minus, Times and Divide functions.
 * Output F32; results that are not finite (division by zero) become no data.
 */
export function arithmeticFunction(fixedOperation?: number): RasterFunction {
  return {
    description: fixedOperation ? 'Applies the operation to each band and a constant.' : 'Plus, minus, times, divide or power of each band with a constant.',
    apply: (block, args) => arithmetic(block, fixedOperation ?? numberArg(args, 'Operation', 1), constantOf(args)),
  };
}

function constantOf(args: FunctionArguments): number {
  const value = args.Raster2;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw ApiError.invalidParameter("'renderingRule' parameter is invalid: Raster2 must be a number (a constant)");
  return n;
}

function arithmetic(block: PixelBlock, operation: number, constant: number): PixelBlock {
  const op = OPERATIONS[operation];
  if (!op) throw ApiError.invalidParameter(`'renderingRule' parameter is invalid: Arithmetic Operation ${operation} is not supported`);
  const n = block.width * block.height;
  const mask = new Uint8Array(n);
  const bands = block.bands.map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    if (block.mask[i] === 0) continue;
    let ok = true;
    for (let b = 0; b < bands.length; b++) {
      const v = op(block.bands[b][i], constant);
      if (!Number.isFinite(v)) ok = false;
      bands[b][i] = v;
    }
    if (ok) mask[i] = block.mask[i];
  }
  return { width: block.width, height: block.height, bands, mask, pixelType: 'F32' };
}
