import { describe, expect, it } from 'vitest';
import { summarizeBlock } from './block-statistics.js';

describe('summarizeBlock', () => {
  it('bins U8 values one per value from -0.5 to 255.5 and reads median and mode off the histogram', () => {
    const block = { width: 5, height: 1, pixelType: 'U8', bands: [Uint8Array.from([1, 2, 2, 9, 200])], mask: Uint8Array.from([255, 255, 255, 255, 0]) };
    const { statistics, histograms } = summarizeBlock(block, 1);
    expect(statistics[0]).toEqual({ min: 1, max: 9, mean: 3.5, standardDeviation: Math.sqrt(10.25), median: 2, mode: 2, skipX: 1, skipY: 1, count: 4 });
    expect(histograms[0]).toMatchObject({ size: 256, min: -0.5, max: 255.5 });
    expect(histograms[0].counts.slice(0, 10)).toEqual([0, 1, 2, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('uses 256 equal bins over [min, max] for floats', () => {
    const block = { width: 3, height: 1, pixelType: 'F32', bands: [Float32Array.from([0, 0.5, 1])], mask: Uint8Array.from([255, 255, 255]) };
    const { histograms } = summarizeBlock(block, 2);
    expect(histograms[0]).toMatchObject({ size: 256, min: 0, max: 1 });
    expect(histograms[0].counts[0] + histograms[0].counts[128] + histograms[0].counts[255]).toBe(3);
  });

  it('reports empty bands with a zero count', () => {
    const block = { width: 1, height: 1, pixelType: 'S16', bands: [Int16Array.from([5])], mask: Uint8Array.from([0]) };
    expect(summarizeBlock(block, 1).statistics[0].count).toBe(0);
  });
});
