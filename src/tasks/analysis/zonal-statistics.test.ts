import { describe, expect, it } from 'vitest';
import { computeZonalStatistics, pickStatistic } from './zonal-statistics.js';

describe('computeZonalStatistics', () => {
  const zones = [1, 1, 1, 1, 2, 2, 2, 0];
  const zoneValid = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]);
  const values = [4, 2, 2, 8, 5, 5, 9, 100];
  const valueValid = Uint8Array.from([1, 1, 1, 1, 1, 0, 1, 1]);

  it('summarizes each zone from its cells with values', () => {
    const stats = computeZonalStatistics(zones, zoneValid, values, valueValid);
    expect(stats.get(1)).toMatchObject({ count: 4, min: 2, max: 8, range: 6, mean: 4, sum: 16, variety: 3, majority: 2, minority: 4, median: 2, percentile: 8, hasMissing: false });
    expect(stats.get(1)!.std).toBeCloseTo(Math.sqrt(6), 12);
    expect(stats.get(2)).toMatchObject({ count: 2, mean: 7, hasMissing: true, majority: 5, minority: 5 });
    expect(stats.has(0)).toBe(false);
  });

  it('picks statistics by their REST names', () => {
    const zone = computeZonalStatistics(zones, zoneValid, values, valueValid, { percentile: 50 }).get(1)!;
    expect(['Mean', 'Maximum', 'Minimum', 'SUM', 'Variety', 'Percentile'].map((t) => pickStatistic(zone, t as never))).toEqual([4, 8, 2, 16, 3, 2]);
  });

  it('gives the moments alone, the same, when no order statistic is asked for', () => {
    const all = computeZonalStatistics(zones, zoneValid, values, valueValid);
    const moments = computeZonalStatistics(zones, zoneValid, values, valueValid, { orderStatistics: false });
    for (const zone of [1, 2]) {
      const { variety, majority, minority, median, percentile, ...rest } = moments.get(zone)!;
      expect([variety, majority, minority, median, percentile].every(Number.isNaN)).toBe(true);
      expect(all.get(zone)).toMatchObject(rest);
    }
  });
});
