import { FeatureStoreError, type SpatialFilter } from '../feature-store.js';
import type { FeatureDataset } from './feature-dataset.js';
import { sridSql, toSqlValue, type SqlPart } from './sql-values.js';

/** Metres per linear unit of projected SRIDs, read once from spatial_ref_sys. */
const metresPerUnit = new Map<number, number | null>();

/**
 * The filter geometry buffered by `bufferMeters`, still in its own SRID (query `distance`). A
 * projected SR buffers in its own units; a geographic one in the UTM zone of the geometry's
 * centre, and back: planar, close to geodesic for the distances queries use.
 */
export function bufferedGeometrySql(dataset: FeatureDataset, spatial: SpatialFilter): SqlPart {
  const srid = sridSql(spatial.srid);
  const input = `GeomFromWKB(?, ${srid})`;
  const wkb = toSqlValue(spatial.wkb);
  const metres = spatial.bufferMeters!;
  const factor = unitOf(dataset, spatial.srid);
  if (factor !== null) return { sql: `ST_Buffer(${input}, ?)`, params: [wkb, metres / factor] };
  const centre = dataset.prepareRaw(`SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(${input}) AS c)`).get(wkb) as [number | null, number | null];
  if (centre[0] === null || centre[1] === null) throw new FeatureStoreError('The filter geometry could not be buffered');
  const zone = Math.min(60, Math.max(1, Math.floor((centre[0] + 180) / 6) + 1));
  const utm = sridSql((centre[1] >= 0 ? 32600 : 32700) + zone);
  return { sql: `ST_Transform(ST_Buffer(ST_Transform(${input}, ${utm}), ?), ${srid})`, params: [wkb, metres] };
}

/** Metres per unit of a projected SRID; null for a geographic one. */
function unitOf(dataset: FeatureDataset, srid: number): number | null {
  const known = metresPerUnit.get(srid);
  if (known !== undefined) return known;
  const row = dataset.prepareRaw(`SELECT SridIsGeographic(${sridSql(srid)}), srtext FROM spatial_ref_sys WHERE srid = ?`).get(srid) as [number | null, string] | undefined;
  if (!row) throw new FeatureStoreError(`Spatial reference ${srid} is not supported`);
  // The projected CRS's own UNIT comes last in its WKT (the geographic base's degree comes first).
  const units = [...row[1].matchAll(/UNIT\["[^"]*",\s*([0-9.eE+-]+)/g)];
  const factor = row[0] === 1 || units.length === 0 ? null : Number(units.at(-1)![1]);
  metresPerUnit.set(srid, factor);
  return factor;
}
