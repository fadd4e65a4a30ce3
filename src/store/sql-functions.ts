/** SQL functions SpatiaLite and PostgreSQL/PostGIS name alike (names are case-insensitive in both). */
import type { StatisticsQuery } from './feature-store.js';
/** The relations GEOS tests exactly; the envelope relations are answered by the R*Tree alone. */
export type ExactRelation = 'intersects' | 'contains' | 'within' | 'crosses' | 'overlaps' | 'touches';

/**
 * SQL function per relation, reading as ArcGIS does (`spatialRel` of a query): the query
 * geometry first, so `contains` finds what lies inside the query geometry and `within` what
 * encloses it. Shared by feature layers and image-collection catalogs.
 */
const FUNCTIONS: Record<ExactRelation, string> = {
  intersects: 'ST_Intersects',
  contains: 'ST_Contains',
  within: 'ST_Within',
  crosses: 'ST_Crosses',
  overlaps: 'ST_Overlaps',
  touches: 'ST_Touches',
};

/** `ST_<Relation>(<query>, <target>)`: SQL expressions in, a 0/1 (or -1 on error) expression out. */
export function spatialPredicateSql(relation: ExactRelation, query: string, target: string): string {
  return `${FUNCTIONS[relation]}(${query}, ${target})`;
}

/** The aggregate per outStatistics type (ArcGIS: the sample standard deviation and variance). */
export const STATISTIC_FUNCTIONS: Record<StatisticsQuery['statistics'][number]['type'], string> = {
  count: 'count',
  sum: 'sum',
  min: 'min',
  max: 'max',
  avg: 'avg',
  stddev: 'stddev_samp',
  var: 'var_samp',
};
