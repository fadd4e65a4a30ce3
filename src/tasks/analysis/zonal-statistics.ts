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
  // Two passes into one typed array per zone: no per-cell allocation on grids of millions of cells.
  const counts = new Map<number, { n: number; missing: boolean }>();
  for (let i = 0; i < zones.length; i++) {
    if (!zoneValid[i]) continue;
    let entry = counts.get(zones[i]);
    if (!entry) counts.set(zones[i], (entry = { n: 0, missing: false }));
    if (valueValid[i]) entry.n++;
    else entry.missing = true;
  }
  const lists = new Map<number, { values: Float64Array; filled: number }>();
  for (const [zone, { n }] of counts) lists.set(zone, { values: new Float64Array(n), filled: 0 });
  for (let i = 0; i < zones.length; i++) {
    if (!zoneValid[i] || !valueValid[i]) continue;
    const list = lists.get(zones[i])!;
    list.values[list.filled++] = values[i];
  }
  const out = new Map<number, ZoneStatistics>();
  for (const [zone, { values: list }] of lists) {
    if (list.length === 0) continue;
    out.set(zone, summarize(zone, list, counts.get(zone)!.missing, options.percentile ?? 90));
  }
  return out;
}

function summarize(zone: number, list: Float64Array, missing: boolean, percentile: number): ZoneStatistics {
  const sorted = list.sort();
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i] - mean) ** 2;
  // Runs of equal values in ascending order: strict comparisons keep the smallest value on ties.
  let variety = 0;
  let majority = sorted[0];
  let minority = sorted[0];
  let most = -1;
  let least = Infinity;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end++;
    const count = end - start;
    variety++;
    if (count > most) [most, majority] = [count, sorted[start]];
    if (count < least) [least, minority] = [count, sorted[start]];
    start = end;
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
    variety,
    majority,
    minority,
    median: sorted[Math.floor((n - 1) / 2)],
    percentile: sorted[rank - 1],
  };
}
