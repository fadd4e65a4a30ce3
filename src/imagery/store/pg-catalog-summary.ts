import type pg from 'pg';
import { emptySummary, pooledStatistics, summaryOf, type PooledBandRow } from './catalog-summary.js';
import type { BandStatistics, CollectionSummary } from './catalog-store.js';

/**
 * A collection's summary from its rows, in SQL (jsonb aggregates), as the embedded store's
 * computeSummary does it; called inside the write transaction.
 */
export async function computePgSummary(client: pg.PoolClient, collectionId: string): Promise<CollectionSummary> {
  const totals = (
    await client.query(
      `SELECT count(*) AS n, min(box_xmin) AS xmin, min(box_ymin) AS ymin, max(box_xmax) AS xmax, max(box_ymax) AS ymax,
              min(low_ps) AS low, max(high_ps) AS high,
              max((raster->>'bandCount')::double precision) AS bands,
              sum((raster->>'width')::double precision * (raster->>'height')::double precision * (raster->>'bandCount')::double precision) AS pixels
         FROM catalog_items WHERE collection_id = $1`,
      [collectionId],
    )
  ).rows[0] as Record<string, number | null>;
  if (Number(totals.n) === 0) return emptySummary();
  const common = (
    await client.query(
      `SELECT raster->>'pixelType' AS "pixelType", raster->>'dataType' AS "dataType", count(*) AS n
         FROM catalog_items WHERE collection_id = $1 GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 1`,
      [collectionId],
    )
  ).rows[0] as { pixelType: string; dataType: string };
  const widest = (
    await client.query(
      `SELECT raster->'colorInterpretations' AS ci, raster->'noData'->0 AS "noData"
         FROM catalog_items WHERE collection_id = $1 ORDER BY (raster->>'bandCount')::double precision DESC, object_id LIMIT 1`,
      [collectionId],
    )
  ).rows[0] as { ci: string[] | null; noData: number | null };
  return summaryOf({ totals, common, widest }, await combineStatistics(client, collectionId));
}

/** Per band: min of mins, max of maxes, pixel-weighted mean, pooled standard deviation. */
async function combineStatistics(client: pg.PoolClient, collectionId: string): Promise<BandStatistics[] | null> {
  const { rows } = await client.query(
    `SELECT s.i - 1 AS band,
            min((s.v->>'min')::double precision) AS min, max((s.v->>'max')::double precision) AS max,
            sum(w.n * (s.v->>'mean')::double precision) / sum(w.n) AS mean,
            sum(w.n * ((s.v->>'stddev')::double precision * (s.v->>'stddev')::double precision
                      + (s.v->>'mean')::double precision * (s.v->>'mean')::double precision)) / sum(w.n) AS m2
       FROM (SELECT raster, (raster->>'width')::double precision * (raster->>'height')::double precision AS n
               FROM catalog_items WHERE collection_id = $1) AS w,
            jsonb_array_elements(CASE WHEN jsonb_typeof(w.raster->'statistics') = 'array' THEN w.raster->'statistics' ELSE '[]'::jsonb END)
              WITH ORDINALITY AS s(v, i)
      GROUP BY band ORDER BY band`,
    [collectionId],
  );
  return pooledStatistics(rows as PooledBandRow[]);
}
