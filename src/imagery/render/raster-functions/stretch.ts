import { blockStatistics } from '../block-statistics.js';
import { ApiError } from '../../../errors.js';
import { pixelTypeInfo, type PixelBlock } from '../pixel-block.js';
import { booleanArg, numberArg, type FunctionArguments, type FunctionContext, type RasterFunction } from './raster-function.js';

/** Esri StretchType codes. */
const NONE = 0;
const STANDARD_DEVIATION = 3;
const HISTOGRAM_EQUALIZATION = 4;
const MIN_MAX = 5;
const PERCENT_CLIP = 6;
const SIGMOID = 9;

interface BandStretch {
  low: number;
  high: number;
  mean: number;
  std: number;
  /** Histogram-equalisation lookup over [low, high] in BINS steps, when asked. */
  cdf?: Float64Array;
}

const BINS = 1024;

/**
 * Stretch (`StretchType` 0 none, 3 standard deviation, 4 histogram equalisation, 5 min-max,
 * 6 percent clip, 9 sigmoid) to [`Min`, `Max`] (0–255), with optional per-band `Gamma`.
 * Statistics come from `Statistics` ([[min, max, mean, std], …]), else from the pixels when `DRA`
 * is true, else from the collection's statistics, else from the pixels. Percent clip and
 * equalisation always read the pixels' histogram. Output U8 unless `outputPixelType` says otherwise.
 */
export const stretchFunction: RasterFunction = {
  description: 'Stretches pixel values to 0–255 (none, standard deviation, histogram equalization, min-max, percent clip, sigmoid).',
  readsStatistics: true,
  apply: (block, args, context, outputPixelType) => stretchBlock(block, args, context, outputPixelType ?? 'U8'),
};

export function stretchBlock(block: PixelBlock, args: FunctionArguments, context: FunctionContext, outputPixelType: string): PixelBlock {
  const type = numberArg(args, 'StretchType', NONE);
  if (![NONE, STANDARD_DEVIATION, HISTOGRAM_EQUALIZATION, MIN_MAX, PERCENT_CLIP, SIGMOID].includes(type)) {
    throw ApiError.invalidParameter(`'renderingRule' parameter is invalid: StretchType ${type} is not supported`);
  }
  const out = pixelTypeInfo(outputPixelType);
  const outMin = numberArg(args, 'Min', 0);
  const outMax = numberArg(args, 'Max', 255);
  const gammas = booleanArg(args, 'UseGamma', false) && Array.isArray(args.Gamma) ? (args.Gamma as unknown[]).map(Number) : [];
  const n = block.width * block.height;
  const bands = block.bands.map((values, b) => {
    const s = bandStretch(block, b, type, args, context);
    const gamma = gammas[b] && gammas[b] > 0 ? gammas[b] : 1;
    const result = new out.array(n);
    const span = s.high - s.low;
    for (let i = 0; i < n; i++) {
      if (block.mask[i] === 0) continue;
      let t: number;
      const v = values[i];
      if (type === NONE) t = (v - outMin) / (outMax - outMin);
      else if (s.cdf) t = s.cdf[Math.min(BINS - 1, Math.max(0, Math.floor(((v - s.low) / span) * BINS)))];
      else if (type === SIGMOID) t = 1 / (1 + Math.exp((-numberArg(args, 'SigmoidStrengthLevel', 2) * (v - s.mean)) / (s.std || 1)));
      else t = span > 0 ? (v - s.low) / span : 0;
      t = Math.min(1, Math.max(0, t));
      if (gamma !== 1) t = Math.pow(t, 1 / gamma);
      const mapped = outMin + t * (outMax - outMin);
      result[i] = out.integer ? Math.round(mapped) : mapped;
    }
    return result;
  });
  return { ...block, bands, pixelType: outputPixelType };
}

function bandStretch(block: PixelBlock, band: number, type: number, args: FunctionArguments, context: FunctionContext): BandStretch {
  const given = Array.isArray(args.Statistics) ? (args.Statistics as unknown[][])[band] : undefined;
  const useBlock = booleanArg(args, 'DRA', false) || (!given && !context.statistics?.[band]);
  const stats = given
    ? { min: Number(given[0]), max: Number(given[1]), mean: Number(given[2]), std: Number(given[3]) }
    : useBlock
      ? blockStatistics(block, band)
      : { ...context.statistics![band], std: context.statistics![band].stddev };
  if (type === STANDARD_DEVIATION) {
    const k = numberArg(args, 'NumberOfStandardDeviations', 2);
    return { low: Math.max(stats.min, stats.mean - k * stats.std), high: Math.min(stats.max, stats.mean + k * stats.std), mean: stats.mean, std: stats.std };
  }
  if (type === PERCENT_CLIP || type === HISTOGRAM_EQUALIZATION) {
    const { min, max } = blockStatistics(block, band);
    const histogram = blockHistogram(block, band, min, max);
    if (type === HISTOGRAM_EQUALIZATION) return { low: min, high: max, mean: stats.mean, std: stats.std, cdf: cumulative(histogram) };
    const low = percentile(histogram, min, max, numberArg(args, 'MinPercent', 0.25) / 100);
    const high = percentile(histogram, min, max, 1 - numberArg(args, 'MaxPercent', 0.25) / 100);
    return { low, high, mean: stats.mean, std: stats.std };
  }
  return { low: stats.min, high: stats.max, mean: stats.mean, std: stats.std };
}

function blockHistogram(block: PixelBlock, band: number, min: number, max: number): Float64Array {
  const counts = new Float64Array(BINS);
  const values = block.bands[band];
  const scale = max > min ? BINS / (max - min) : 0;
  for (let i = 0; i < values.length; i++) {
    if (block.mask[i] === 0 || Number.isNaN(values[i])) continue;
    counts[Math.min(BINS - 1, Math.floor((values[i] - min) * scale))]++;
  }
  return counts;
}

function cumulative(histogram: Float64Array): Float64Array {
  const total = histogram.reduce((a, b) => a + b, 0) || 1;
  const cdf = new Float64Array(histogram.length);
  let running = 0;
  for (let i = 0; i < histogram.length; i++) {
    running += histogram[i];
    cdf[i] = running / total;
  }
  return cdf;
}

function percentile(histogram: Float64Array, min: number, max: number, fraction: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  const wanted = fraction * total;
  let running = 0;
  for (let i = 0; i < histogram.length; i++) {
    running += histogram[i];
    if (running >= wanted) return min + ((i + 0.5) / histogram.length) * (max - min);
  }
  return max;
}
