/** The relations GEOS tests exactly; the envelope relations are answered by the R*Tree alone. */
export type ExactRelation = 'intersects' | 'contains' | 'within' | 'crosses' | 'overlaps' | 'touches';

/**
 * SpatiaLite function per relation, reading as ArcGIS does (`spatialRel` of a query): the query
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
