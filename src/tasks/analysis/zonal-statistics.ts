/** Statistics of one zone, named as ZonalStatisticsAsTable's output fields. */
export interface ZoneStatistics {
  zone: number;
  count: number;
  /** Set when `ignoreMissing` is off and the zone covers a cell without a value. */
  hasMissing: boolean;
  min: number;
  max: number;
  range: number;
  mean: number;
  /** Population standard deviation, as ArcGIS computes it. */
  std: number;
  sum: number;
  variety: number;
  majority: number;
  minority: number;
  median: number;
  percentile: number;
}

/** The `statisticType` values of SummarizeRasterWithin, by their REST spelling. */
export const STATISTIC_TYPES = ['Mean', 'Majority', 'Maximum', 'Median', 'Minimum', 'Minority', 'Range', 'STD', 'SUM', 'Variety', 'Percentile'] as const;
export type StatisticType = (typeof STATISTIC_TYPES)[number];

const PICK: Record<StatisticType, keyof ZoneStatistics> = {
  Mean: 'mean',
  Majority: 'majority',
  Maximum: 'max',
  Median: 'median',
  Minimum: 'min',
  Minority: 'minority',
  Range: 'range',
  STD: 'std',
  SUM: 'sum',
  Variety: 'variety',
  Percentile: 'percentile',
};

export function pickStatistic(stats: ZoneStatistics, type: StatisticType): number {
  return stats[PICK[type]] as number;
}

/**
 * Zonal statistics over two grids of the same shape: every cell with a zone and a value counts
 * towards its zone. Majority/minority take the smallest value among ties (as ArcGIS); median is
 * the lower middle value of an even count; the percentile is nearest-rank.
 */
export function computeZonalStatistics(
  zones: ArrayLike<number>,
  zoneValid: Uint8Array,
  values: ArrayLike<number>,
  valueValid: Uint8Array,
  options: { percentile?: number } = {},
): Map<number, ZoneStatistics> {
  const byZone = new Map<number, { values: number[]; missing: boolean }>();
  for (let i = 0; i < zones.length; i++) {
    if (!zoneValid[i]) continue;
    const zone = zones[i];
    let entry = byZone.get(zone);
    if (!entry) byZone.set(zone, (entry = { values: [], missing: false }));
    if (valueValid[i]) entry.values.push(values[i]);
    else entry.missing = true;
  }
  const out = new Map<number, ZoneStatistics>();
  for (const [zone, { values: list, missing }] of byZone) {
    if (list.length === 0) continue;
    out.set(zone, summarize(zone, list, missing, options.percentile ?? 90));
  }
  return out;
}

function summarize(zone: number, list: number[], missing: boolean, percentile: number): ZoneStatistics {
  const sorted = Float64Array.from(list).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  const counts = new Map<number, number>();
  for (const v of sorted) counts.set(v, (counts.get(v) ?? 0) + 1);
  let majority = sorted[0];
  let minority = sorted[0];
  let most = -1;
  let least = Infinity;
  // Map iteration follows insertion, i.e. ascending values: strict comparisons keep the smallest tie.
  for (const [value, count] of counts) {
    if (count > most) [most, majority] = [count, value];
    if (count < least) [least, minority] = [count, value];
  }
  const rank = Math.min(n, Math.max(1, Math.ceil((percentile / 100) * n)));
  return {
    zone,
    count: n,
    hasMissing: missing,
    min: sorted[0],
    max: sorted[n - 1],
    range: sorted[n - 1] - sorted[0],
    mean,
    std: Math.sqrt(squares / n),
    sum,
    variety: counts.size,
    majority,
    minority,
    median: sorted[Math.floor((n - 1) / 2)],
    percentile: sorted[rank - 1],
  };
}
