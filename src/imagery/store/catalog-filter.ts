import { spatialPredicateSql } from '../../store/sql-functions.js';
import type { SqlPart } from '../../store/sqlite/sql-values.js';
import type { CatalogQuery } from './catalog-store.js';

/**
 * The two filter parts of a catalog query: `spatial` (AND-ed onto the raw table: R-tree candidates
 * then the exact SpatiaLite predicate) and `attribute` (a WHERE over the wire-named subquery:
 * the compiled `where` and `objectIds`). Only fixed SQL text is built here; values are bound.
 */
export function buildCatalogFilter(query: CatalogQuery, srid: number): { spatial: SqlPart; attribute: SqlPart } {
  const spatial: SqlPart = { sql: '', params: [] };
  if (query.geometry) {
    const { bbox, wkb, relation } = query.geometry;
    spatial.sql += ' AND rowid_ IN (SELECT id FROM catalog_items_bbox WHERE xmax >= ? AND xmin <= ? AND ymax >= ? AND ymin <= ?)';
    spatial.params.push(bbox.xmin, bbox.xmax, bbox.ymin, bbox.ymax);
    if (relation !== 'envelopeIntersects') {
      spatial.sql += ` AND ${spatialPredicateSql(relation, 'GeomFromWKB(?, CAST(? AS INTEGER))', 'shape')} = 1`;
      spatial.params.push(wkb, srid);
    }
  }
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.where) {
    conditions.push(`(${query.where.sql})`);
    params.push(...query.where.params);
  }
  if (query.objectIds) {
    if (query.objectIds.length === 0) conditions.push('0');
    else {
      conditions.push(`"OBJECTID" IN (${query.objectIds.map(() => '?').join(', ')})`);
      for (const id of query.objectIds) params.push(id);
    }
  }
  return { spatial, attribute: { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params } };
}
