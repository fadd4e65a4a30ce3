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

/** The field of ZoneStatistics a `statisticType` reads. */
export function statisticField(type: StatisticType): keyof ZoneStatistics {
  return PICK[type];
}

/** The statistics that need each zone's values in order (the others take one pass). */
export const ORDER_STATISTICS: ReadonlySet<keyof ZoneStatistics> = new Set(['variety', 'majority', 'minority', 'median', 'percentile']);

/**
 * Zonal statistics over two grids of the same shape: every cell with a zone and a value counts
 * towards its zone. Zones are small non-negative integers (ZoneGrid's indices). Majority/minority
 * take the smallest value among ties (as ArcGIS); median is the lower middle value of an even
 * count; the percentile is nearest-rank. With `orderStatistics` false those five (and variety)
 * are NaN and nothing is sorted: the moments take one pass over typed arrays indexed by zone.
 */
export function computeZonalStatistics(
  zones: ArrayLike<number>,
  zoneValid: Uint8Array,
  values: ArrayLike<number>,
  valueValid: Uint8Array,
  options: { percentile?: number; orderStatistics?: boolean } = {},
): Map<number, ZoneStatistics> {
  let zoneCount = 0;
  for (let i = 0; i < zones.length; i++) if (zoneValid[i] && zones[i] >= zoneCount) zoneCount = zones[i] + 1;
  const present = new Uint8Array(zoneCount);
  const missing = new Uint8Array(zoneCount);
  const count = new Int32Array(zoneCount);
  const sum = new Float64Array(zoneCount);
  const min = new Float64Array(zoneCount).fill(Infinity);
  const max = new Float64Array(zoneCount).fill(-Infinity);
  for (let i = 0; i < zones.length; i++) {
    if (!zoneValid[i]) continue;
    const z = zones[i];
    present[z] = 1;
    if (!valueValid[i]) {
      missing[z] = 1;
      continue;
    }
    const v = values[i];
    count[z]++;
    sum[z] += v;
    if (v < min[z]) min[z] = v;
    if (v > max[z]) max[z] = v;
  }
  const mean = new Float64Array(zoneCount);
  for (let z = 0; z < zoneCount; z++) mean[z] = sum[z] / count[z];
  const squares = new Float64Array(zoneCount);
  for (let i = 0; i < zones.length; i++) {
    if (!zoneValid[i] || !valueValid[i]) continue;
    const z = zones[i];
    squares[z] += (values[i] - mean[z]) ** 2;
  }
  const ordered = options.orderStatistics === false ? null : sortByZone(zones, zoneValid, values, valueValid, count);
  const percentile = options.percentile ?? 90;
  const out = new Map<number, ZoneStatistics>();
  for (let z = 0; z < zoneCount; z++) {
    const n = count[z];
    if (!present[z] || n === 0) continue;
    const moments = { zone: z, count: n, hasMissing: missing[z] === 1, min: min[z], max: max[z], range: max[z] - min[z], mean: mean[z], std: Math.sqrt(squares[z] / n), sum: sum[z] };
    out.set(z, { ...moments, ...(ordered ? orderStatistics(ordered.values.subarray(ordered.start[z], ordered.start[z] + n), percentile) : NO_ORDER) });
  }
  return out;
}

type OrderStatistics = Pick<ZoneStatistics, 'variety' | 'majority' | 'minority' | 'median' | 'percentile'>;
const NO_ORDER: OrderStatistics = { variety: Number.NaN, majority: Number.NaN, minority: Number.NaN, median: Number.NaN, percentile: Number.NaN };

/** Every zone's values in one buffer, zone after zone (a counting sort by zone), each zone's run sorted. */
function sortByZone(zones: ArrayLike<number>, zoneValid: Uint8Array, values: ArrayLike<number>, valueValid: Uint8Array, count: Int32Array): { values: Float64Array; start: Int32Array } {
  const start = new Int32Array(count.length);
  for (let z = 1; z < count.length; z++) start[z] = start[z - 1] + count[z - 1];
  const next = start.slice();
  const sorted = new Float64Array(count.length === 0 ? 0 : start[count.length - 1] + count[count.length - 1]);
  for (let i = 0; i < zones.length; i++) if (zoneValid[i] && valueValid[i]) sorted[next[zones[i]]++] = values[i];
  for (let z = 0; z < count.length; z++) sorted.subarray(start[z], start[z] + count[z]).sort();
  return { values: sorted, start };
}

function orderStatistics(sorted: Float64Array, percentile: number): OrderStatistics {
  const n = sorted.length;
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
  return { variety, majority, minority, median: sorted[Math.floor((n - 1) / 2)], percentile: sorted[rank - 1] };
}
