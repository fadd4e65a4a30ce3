import { ApiError } from '../../../errors.js';
import type { PixelBlock } from '../pixel-block.js';
import { booleanArg, type FunctionArguments, type RasterFunction } from './raster-function.js';

function numbers(args: FunctionArguments, name: string): number[] {
  const value = args[name];
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : String(value).split(/[\s,;]+/).filter(Boolean);
  const out = list.map(Number);
  if (out.some((n) => !Number.isFinite(n))) throw ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${name} must list numbers`);
  return out;
}

/**
 * Remap (and Reclassify): `InputRanges` [min1, max1, min2, max2, …] (min inclusive, max
 * exclusive, as ArcGIS) map to `OutputValues`; `NoDataRanges` become no data; unmatched values
 * are kept with `AllowUnmatched` (default true), else no data. Output F32, first band.
 */
export const remapFunction: RasterFunction = {
  description: 'Changes ranges of values to new values (and ranges to no data).',
  apply: (block, args) => {
    const ranges = numbers(args, 'InputRanges');
    const outputs = numbers(args, 'OutputValues');
    const noData = numbers(args, 'NoDataRanges');
    if (ranges.length % 2 !== 0 || outputs.length !== ranges.length / 2) {
      throw ApiError.invalidParameter("'renderingRule' parameter is invalid: InputRanges needs a min and max for each of OutputValues");
    }
    const keep = booleanArg(args, 'AllowUnmatched', true);
    return remap(block, ranges, outputs, noData, keep);
  },
};

function remap(block: PixelBlock, ranges: number[], outputs: number[], noData: number[], keep: boolean): PixelBlock {
  const n = block.width * block.height;
  const source = block.bands[0];
  const out = new Float32Array(n);
  const mask = new Uint8Array(n);
  const inside = (v: number, list: number[], k: number) => v >= list[k] && (v < list[k + 1] || (list[k] === list[k + 1] && v === list[k]));
  for (let i = 0; i < n; i++) {
    if (block.mask[i] === 0) continue;
    const v = source[i];
    let isNoData = false;
    for (let k = 0; k < noData.length; k += 2) if (inside(v, noData, k)) isNoData = true;
    if (isNoData) continue;
    let matched = false;
    for (let k = 0; k < ranges.length; k += 2) {
      if (inside(v, ranges, k)) {
        out[i] = outputs[k / 2];
        matched = true;
        break;
      }
    }
    if (!matched && !keep) continue;
    if (!matched) out[i] = v;
    mask[i] = block.mask[i];
  }
  return { width: block.width, height: block.height, bands: [out], mask, pixelType: 'F32' };
}
