import { ApiError } from '../../../errors.js';
import { numberArg, type FunctionArguments, type RasterFunction } from './raster-function.js';

/**
 * Mask: per band, the values listed in `NoDataValues` (one entry per band: "0 255" text or a
 * number) and the values outside `IncludedRanges` ([min0, max0, min1, max1, …], inclusive)
 * fail; `NoDataInterpretation` 0 (match any, default) makes a pixel no data when any band
 * fails, 1 (match all) when every band does. Values and pixel type are unchanged.
 */
export const maskFunction: RasterFunction = {
  description: 'Turns listed values, or values outside ranges, into no data.',
  apply: (block, args) => {
    const noData = noDataLists(args, block.bands.length);
    const ranges = numberList(args.IncludedRanges, 'IncludedRanges');
    if (ranges.length % 2 !== 0) throw invalid('IncludedRanges needs a min and a max per band');
    const matchAll = numberArg(args, 'NoDataInterpretation', 0) === 1;
    const bandCount = block.bands.length;
    const mask = Uint8Array.from(block.mask);
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] === 0) continue;
      let failed = 0;
      for (let b = 0; b < bandCount; b++) {
        const v = block.bands[b][i];
        const outOfRange = 2 * b + 1 < ranges.length && (v < ranges[2 * b] || v > ranges[2 * b + 1]);
        if (outOfRange || noData[b].includes(v)) failed++;
      }
      if (matchAll ? failed === bandCount : failed > 0) mask[i] = 0;
    }
    return { ...block, mask };
  },
};

function noDataLists(args: FunctionArguments, bandCount: number): number[][] {
  const value = args.NoDataValues;
  const entries = value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value];
  return Array.from({ length: bandCount }, (_, b) => numberList(entries[b], 'NoDataValues'));
}

function numberList(value: unknown, name: string): number[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : String(value).split(/[\s,;]+/).filter(Boolean);
  const out = list.map(Number);
  if (out.some((n) => Number.isNaN(n))) throw invalid(`${name} must list numbers`);
  return out;
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${detail}`);
}
