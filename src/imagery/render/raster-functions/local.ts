import { ApiError } from '../../../errors.js';
import { median } from '../../../statistics.js';
import { convertBlock } from '../convert-pixel-type.js';
import { pixelTypeInfo, type PixelBlock } from '../pixel-block.js';
import { numberArg, type RasterFunction } from './raster-function.js';

type Unary = (a: number) => number;
type Binary = (a: number, b: number) => number;
type Many = (values: number[]) => number;

const bool = (v: boolean) => (v ? 1 : 0);

/** esriGeoAnalysisFunctionEnum codes on one input (the first of `Rasters`). */
const UNARY: Record<number, Unary> = {
  4: Math.sqrt, 6: Math.acos, 7: Math.asin, 8: Math.atan, 9: Math.atanh, 10: Math.abs,
  13: (a) => ~a, 18: (a) => bool(a === 0), 21: Math.cos, 22: Math.cosh, 25: Math.exp,
  26: (a) => 10 ** a, 27: (a) => 2 ** a, 30: Math.trunc, 32: (a) => a, 35: Math.log, 36: Math.log10,
  37: Math.log2, 45: (a) => -a, 48: Math.floor, 49: Math.ceil, 51: Math.sin, 52: Math.sinh,
  53: (a) => a * a, 56: Math.tan, 57: Math.tanh, 59: Math.acosh, 60: Math.asinh,
};

/** Codes on two inputs (`Rasters[0]` op `Rasters[1]`); 23 Divide is handled apart (integer division). */
const BINARY: Record<number, Binary> = {
  1: (a, b) => a + b, 2: (a, b) => a - b, 3: (a, b) => a * b, 5: (a, b) => a ** b,
  11: (a, b) => a & b, 12: (a, b) => a << b, 14: (a, b) => a | b, 15: (a, b) => a >> b, 16: (a, b) => a ^ b,
  17: (a, b) => bool(a !== 0 && b !== 0), 19: (a, b) => bool(a !== 0 || b !== 0), 20: (a, b) => bool((a !== 0) !== (b !== 0)),
  24: (a, b) => bool(a === b), 28: (a, b) => bool(a > b), 29: (a, b) => bool(a >= b), 33: (a, b) => bool(a < b),
  34: (a, b) => bool(a <= b), 44: (a, b) => a % b, 46: (a, b) => bool(a !== b), 61: Math.atan2,
  64: (a, b) => a / b, 65: (a, b) => Math.floor(a / b),
};

/** Cell statistics over all inputs; code + 28 (66…75) is the same ignoring inputs without data. */
const MANY: Record<number, Many> = {
  38: (v) => byCount(v, (a, b) => a > b), 39: (v) => Math.max(...v), 40: (v) => sum(v) / v.length,
  41: median, 42: (v) => Math.min(...v), 43: (v) => byCount(v, (a, b) => a < b),
  47: (v) => Math.max(...v) - Math.min(...v), 54: std, 55: sum, 58: (v) => new Set(v).size,
};
const IGNORE_NODATA_OFFSET = 28;

/** Operations whose answer is a 0/1 or an integer count: U8 output. */
const BYTE_RESULTS = new Set([17, 18, 19, 20, 24, 28, 29, 31, 33, 34, 46]);

/**
 * Local: the cell-by-cell `Operation` (esriGeoAnalysisFunctionEnum: 1 Plus … 23 Divide, 24 EqualTo,
 * 31 IsNull, 39 Max, 40 Mean, 50 SetNull, 55 Sum …) over `Rasters` (rasters and constants), band
 * by band (single-band inputs apply to every band). A cell with no data in an input has none in
 * the output (except IsNull and the 66–75 "ignore no data" statistics); results that are not
 * finite become no data. Output F32, U8 for comparisons and logic; Divide of two integer
 * rasters divides integers (as ArcGIS).
 */
export const localFunction: RasterFunction = {
  description: 'Cell-by-cell math, comparison, logic and statistics over several rasters.',
  apply: (_block, args, context, outputPixelType) => {
    const inputs = context.rasters ?? [];
    const operation = numberArg(args, 'Operation', Number.NaN);
    const blocks = inputs.filter((i): i is PixelBlock => typeof i !== 'number');
    if (blocks.length === 0) throw invalid('Local needs Rasters with at least one raster');
    const shape = blocks[0];
    const bandCount = Math.max(...blocks.map((b) => b.bands.length));
    if (blocks.some((b) => b.width !== shape.width || b.height !== shape.height)) throw invalid('Local Rasters must share one grid');
    if (blocks.some((b) => b.bands.length !== 1 && b.bands.length !== bandCount)) throw invalid('Local Rasters must have one band or the same number of bands');
    const compute = operationOf(operation, inputs);
    const n = shape.width * shape.height;
    const mask = new Uint8Array(n);
    const bands = Array.from({ length: bandCount }, () => new Float32Array(n));
    const values = new Array<number>(inputs.length);
    const valid = new Array<boolean>(inputs.length);
    for (let i = 0; i < n; i++) {
      let pixelValid = true;
      for (let b = 0; b < bandCount; b++) {
        for (let k = 0; k < inputs.length; k++) {
          const input = inputs[k];
          if (typeof input === 'number') {
            values[k] = input;
            valid[k] = true;
          } else {
            values[k] = input.bands[Math.min(b, input.bands.length - 1)][i];
            valid[k] = input.mask[i] !== 0;
          }
        }
        const v = compute(values, valid);
        if (v === null || !Number.isFinite(v)) pixelValid = false;
        else bands[b][i] = v;
      }
      if (!pixelValid) continue;
      // Partial coverage along data edges carries over; inputs without data were judged above.
      let m = 255;
      for (const block of blocks) if (block.mask[i] !== 0 && block.mask[i] < m) m = block.mask[i];
      mask[i] = m;
    }
    const result: PixelBlock = { width: shape.width, height: shape.height, bands, mask, pixelType: 'F32' };
    const type = outputPixelType ?? (BYTE_RESULTS.has(operation) ? 'U8' : null);
    return type ? convertBlock(result, type) : result;
  },
};

/** The per-cell computation: a value, or null for no data. */
function operationOf(operation: number, inputs: Array<PixelBlock | number>): (values: number[], valid: boolean[]) => number | null {
  const allValid = (valid: boolean[]) => valid.every(Boolean);
  const need = (count: number) => {
    if (inputs.length < count) throw invalid(`Local Operation ${operation} needs ${count} Rasters`);
  };
  if (operation === 31) return (_v, valid) => bool(!valid[0]);
  if (UNARY[operation]) {
    need(1);
    const f = UNARY[operation];
    return (v, valid) => (valid[0] ? f(v[0]) : null);
  }
  if (operation === 23) {
    need(2);
    const integers = inputs.every((i) => (typeof i === 'number' ? Number.isInteger(i) : pixelTypeInfo(i.pixelType).integer));
    return (v, valid) => (valid[0] && valid[1] ? (integers ? Math.trunc(v[0] / v[1]) : v[0] / v[1]) : null);
  }
  if (operation === 50) {
    need(2);
    return (v, valid) => (valid[0] && valid[1] && v[0] === 0 ? v[1] : null);
  }
  if (BINARY[operation]) {
    need(2);
    const f = BINARY[operation];
    return (v, valid) => (valid[0] && valid[1] ? f(v[0], v[1]) : null);
  }
  const ignoring = MANY[operation - IGNORE_NODATA_OFFSET];
  if (MANY[operation] || ignoring) {
    need(1);
    const f = MANY[operation] ?? ignoring;
    return (v, valid) => {
      if (!ignoring) return allValid(valid) ? f(v) : null;
      const kept = v.filter((_, k) => valid[k]);
      return kept.length > 0 ? f(kept) : null;
    };
  }
  throw invalid(`Local Operation ${Number.isNaN(operation) ? '(none)' : operation} is not supported`);
}

function sum(v: number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s;
}

function std(v: number[]): number {
  const mean = sum(v) / v.length;
  return Math.sqrt(sum(v.map((x) => (x - mean) ** 2)) / v.length);
}

/** The most (or least) frequent value; ties keep the first one met. */
function byCount(v: number[], better: (a: number, b: number) => boolean): number {
  const counts = new Map<number, number>();
  for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best = v[0];
  for (const [value, count] of counts) if (better(count, counts.get(best)!)) best = value;
  return best;
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${detail}`);
}
