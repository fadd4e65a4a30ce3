import { pixelTypeInfo, type PixelBlock } from './pixel-block.js';

/** One band's statistics in the ImageServer `statistics` shape. */
export interface BandSummary {
  min: number;
  max: number;
  mean: number;
  standardDeviation: number;
  median: number;
  mode: number;
  skipX: number;
  skipY: number;
  count: number;
}

/** One band's histogram in the `histograms` shape. */
export interface BandHistogram {
  size: number;
  min: number;
  max: number;
  counts: number[];
}

/**
 * Statistics and histograms of the valid pixels of each band. Integer bands with at most 256
 * distinct values get one bin per value (`min - 0.5` … `max + 0.5`, U8 always −0.5…255.5 as ArcGIS
 * reports); others 256 equal bins over [min, max]. Median and mode are read off the histogram.
 * `skip` is the sampling step the pixels were read at (1 = full resolution).
 *
 * @example summarizeBlock(block, 1).histograms[0].counts.length // 256
 */
export function summarizeBlock(block: PixelBlock, skip: number): { statistics: BandSummary[]; histograms: BandHistogram[] } {
  const statistics: BandSummary[] = [];
  const histograms: BandHistogram[] = [];
  const integer = pixelTypeInfo(block.pixelType).integer;
  block.bands.forEach((values, band) => {
    const { count, min, max, mean, std } = blockStatistics(block, band);
    if (count === 0) {
      statistics.push({ min: 0, max: 0, mean: 0, standardDeviation: 0, median: 0, mode: 0, skipX: skip, skipY: skip, count: 0 });
      histograms.push({ size: 256, min: 0, max: 0, counts: new Array<number>(256).fill(0) });
      return;
    }
    const histogram = binValues(values, block.mask, integer, block.pixelType === 'U8' ? 0 : min, block.pixelType === 'U8' ? 255 : max);
    statistics.push({
      min,
      max,
      mean,
      standardDeviation: std,
      median: binCentre(histogram, medianBin(histogram.counts, count)),
      mode: binCentre(histogram, histogram.counts.indexOf(Math.max(...histogram.counts))),
      skipX: skip,
      skipY: skip,
      count,
    });
    histograms.push(histogram);
  });
  return { statistics, histograms };
}

/** Count, min, max, mean and standard deviation of the valid pixels of a band. */
export function blockStatistics(block: PixelBlock, band: number): { count: number; min: number; max: number; mean: number; std: number } {
  const values = block.bands[band]!;
  let [count, min, max, sum, squares] = [0, Infinity, -Infinity, 0, 0];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (block.mask[i] === 0 || Number.isNaN(v)) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    squares += v * v;
  }
  if (count === 0) return { count, min: 0, max: 0, mean: 0, std: 0 };
  const mean = sum / count;
  return { count, min, max, mean, std: Math.sqrt(Math.max(0, squares / count - mean * mean)) };
}

function binValues(values: ArrayLike<number>, mask: Uint8Array, integer: boolean, min: number, max: number): BandHistogram {
  const perValue = integer && max - min + 1 <= 256;
  const size = perValue ? max - min + 1 : 256;
  const low = perValue ? min - 0.5 : min;
  const high = perValue ? max + 0.5 : max;
  const counts = new Array<number>(size).fill(0);
  const scale = high > low ? size / (high - low) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (mask[i] === 0 || Number.isNaN(v)) continue;
    counts[Math.min(size - 1, Math.max(0, Math.floor((v - low) * scale)))]++;
  }
  return { size, min: low, max: high, counts };
}

function medianBin(counts: number[], total: number): number {
  let running = 0;
  for (let i = 0; i < counts.length; i++) {
    running += counts[i];
    if (running * 2 >= total) return i;
  }
  return counts.length - 1;
}

function binCentre(histogram: BandHistogram, bin: number): number {
  return histogram.min + ((bin + 0.5) * (histogram.max - histogram.min)) / histogram.size;
}
