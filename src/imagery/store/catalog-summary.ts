import type { SqliteDatabase } from '../../store/sqlite/database.js';
import type { BandStatistics, CollectionSummary } from './catalog-store.js';

export const BYTES_PER_PIXEL: Record<string, number> = {
  U1: 1, U2: 1, U4: 1, U8: 1, S8: 1, U16: 2, S16: 2, U32: 4, S32: 4, F32: 4, F64: 8, C64: 8, C128: 16,
};

/**
 * Recomputes a collection's summary from its rows, in SQL (JSON1 aggregates) so that it stays
 * cheap for catalogs of thousands of images. Called inside the write transaction.
 */
export function computeSummary(db: SqliteDatabase, collectionId: string): CollectionSummary {
  const totals = db
    .prepare(
      `SELECT count(*) AS n, min(xmin) AS xmin, min(ymin) AS ymin, max(xmax) AS xmax, max(ymax) AS ymax,
              min(low_ps) AS low, max(high_ps) AS high,
              max(json_extract(raster, '$.bandCount')) AS bands,
              sum(json_extract(raster, '$.width') * json_extract(raster, '$.height') * json_extract(raster, '$.bandCount')) AS pixels
         FROM catalog_items WHERE collection_id = ?`,
    )
    .get(collectionId) as Record<string, number | null>;
  if (Number(totals.n) === 0) return emptySummary();
  const common = db
    .prepare(
      `SELECT json_extract(raster, '$.pixelType') AS pixelType, json_extract(raster, '$.dataType') AS dataType, count(*) AS n
         FROM catalog_items WHERE collection_id = ? GROUP BY 1, 2 ORDER BY n DESC LIMIT 1`,
    )
    .get(collectionId) as { pixelType: string; dataType: string };
  const widest = db
    .prepare(
      `SELECT json_extract(raster, '$.colorInterpretations') AS ci, json_extract(raster, '$.noData[0]') AS noData
         FROM catalog_items WHERE collection_id = ? ORDER BY json_extract(raster, '$.bandCount') DESC, object_id LIMIT 1`,
    )
    .get(collectionId) as { ci: string | null; noData: number | null };
  const ci = widest.ci ? (JSON.parse(widest.ci) as string[]) : null;
  return summaryOf({ totals, common, widest: { ci, noData: widest.noData } }, combineStatistics(db, collectionId));
}

/**
 * Per band: min of mins, max of maxes, pixel-weighted mean, and the pooled standard deviation
 * (within-image variance plus the spread of the image means), which is exact for the union when
 * each image's figures are.
 */
function combineStatistics(db: SqliteDatabase, collectionId: string): BandStatistics[] | null {
  const rows = db
    .prepare(
      `SELECT CAST(s.key AS INTEGER) AS band,
              min(json_extract(s.value, '$.min')) AS min, max(json_extract(s.value, '$.max')) AS max,
              sum(w.n * json_extract(s.value, '$.mean')) * 1.0 / sum(w.n) AS mean,
              sum(w.n * (json_extract(s.value, '$.stddev') * json_extract(s.value, '$.stddev')
                        + json_extract(s.value, '$.mean') * json_extract(s.value, '$.mean'))) * 1.0 / sum(w.n) AS m2
         FROM (SELECT raster, json_extract(raster, '$.width') * json_extract(raster, '$.height') AS n
                 FROM catalog_items WHERE collection_id = ?) AS w,
              json_each(w.raster, '$.statistics') AS s
        GROUP BY band ORDER BY band`,
    )
    .all(collectionId) as PooledBandRow[];
  return pooledStatistics(rows);
}

/** What both stores' summary queries return: totals over the rows, the commonest pixel type, the widest image. */
export interface SummaryRows {
  totals: Record<string, number | null>;
  common: { pixelType: string; dataType: string };
  widest: { ci: string[] | null; noData: number | null };
}

/** The summary from the rows of the summary queries (`totals.n` > 0). */
export function summaryOf({ totals, common, widest }: SummaryRows, statistics: BandStatistics[] | null): CollectionSummary {
  return {
    itemCount: Number(totals.n),
    extent: { xmin: totals.xmin!, ymin: totals.ymin!, xmax: totals.xmax!, ymax: totals.ymax! },
    // LowPS is in the collection's units already (images in other CRSs were measured there).
    pixelSizeX: totals.low,
    pixelSizeY: totals.low,
    minPixelSize: totals.low,
    maxPixelSize: totals.high,
    bandCount: Number(totals.bands ?? 0),
    pixelType: common.pixelType,
    dataType: common.dataType,
    noData: typeof widest.noData === 'number' ? widest.noData : null,
    statistics,
    uncompressedSize: Math.round(Number(totals.pixels ?? 0) * (BYTES_PER_PIXEL[common.pixelType] ?? 1)),
    colorInterpretations: Array.isArray(widest.ci) ? widest.ci : [],
  };
}

/** Per band: the sums the summary queries pool (`m2`: the pixel-weighted mean of squares). */
export interface PooledBandRow {
  min: number;
  max: number;
  mean: number;
  m2: number;
}

/** Band statistics of the union from the pooled sums; null when no image has statistics. */
export function pooledStatistics(rows: PooledBandRow[]): BandStatistics[] | null {
  if (rows.length === 0) return null;
  return rows.map((r) => ({ min: r.min, max: r.max, mean: r.mean, stddev: Math.sqrt(Math.max(0, r.m2 - r.mean * r.mean)) }));
}

export function emptySummary(): CollectionSummary {
  return {
    itemCount: 0,
    extent: null,
    pixelSizeX: null,
    pixelSizeY: null,
    minPixelSize: null,
    maxPixelSize: null,
    bandCount: 0,
    pixelType: null,
    dataType: null,
    noData: null,
    statistics: null,
    uncompressedSize: 0,
    colorInterpretations: [],
  };
}
