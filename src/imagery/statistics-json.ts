import type { BandStatistics } from './store/catalog-store.js';

/** Per-band statistics as the ImageServer resource and `<rasterId>/info` spell them, one array per measure. */
export function statisticsJson(stats: BandStatistics[]): { minValues: number[]; maxValues: number[]; meanValues: number[]; stdvValues: number[] } {
  return {
    minValues: stats.map((s) => s.min),
    maxValues: stats.map((s) => s.max),
    meanValues: stats.map((s) => s.mean),
    stdvValues: stats.map((s) => s.stddev),
  };
}
