import type {
  EditFailureKind,
  EditOptions,
  EditOutcome,
  EditResult,
  FeatureUpdate,
  FeatureWrite,
  LayerEditResults,
  LayerEdits,
  LayerSchema,
} from '../feature-store.js';
import type { FeatureDataset } from './feature-dataset.js';
import { SHAPE, buildWhere, quoteIdentifier, sridSql, tableOf, toSqlValue, type SqlPart } from './feature-sql.js';

/** Thrown inside the transaction to roll it back while keeping the results gathered so far. */
class Rollback extends Error {}

/**
 * Runs a request's edits in one IMMEDIATE transaction (the write lock is taken up front, so
 * concurrent editors queue on it and never lose an edit; readers keep reading the last commit).
 */
export function applyEditsInTransaction(dataset: FeatureDataset, edits: LayerEdits[], options: EditOptions): EditOutcome {
  const layers: LayerEditResults[] = edits.map((e) => ({ layerId: e.layer.id, adds: [], updates: [], deletes: [] }));
  const run = dataset.db.transaction(() => {
    edits.forEach((layerEdits, i) => applyLayerEdits(dataset, layerEdits, layers[i]!, options));
  });
  try {
    run.immediate();
    return { committed: true, editMoment: Date.now(), layers };
  } catch (error) {
    if (error instanceof Rollback) return { committed: false, editMoment: Date.now(), layers };
    throw error;
  }
}

function applyLayerEdits(dataset: FeatureDataset, edits: LayerEdits, out: LayerEditResults, options: EditOptions): void {
  const record = (list: EditResult[], result: EditResult) => {
    list.push(result);
    if (result.failure && options.rollbackOnFailure) throw new Rollback();
  };
  for (const add of edits.adds ?? []) record(out.adds, guard(() => insertFeature(dataset, edits.layer, add)));
  for (const update of edits.updates ?? []) {
    record(out.updates, guard(() => updateFeature(dataset, edits.layer, update, options.useGlobalIds)));
  }
  if (edits.deletes) {
    // Built once: it may transform a filter geometry.
    const filter = edits.deleteFilter ? buildWhere(dataset, edits.layer, edits.deleteFilter) : undefined;
    for (const key of edits.deletes) {
      record(out.deletes, guard(() => deleteFeature(dataset, edits.layer, key, filter, options.useGlobalIds)));
    }
  } else if (edits.deleteFilter) {
    for (const result of deleteMatching(dataset, edits)) out.deletes.push(result);
  }
}

/** SQLite errors become per-item failures; the statement is undone, the transaction lives on. */
function guard(work: () => EditResult): EditResult {
  try {
    return work();
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const message = (error as Error).message;
    const kind: EditFailureKind = code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
      ? 'duplicate'
      : /geometry constraint|violates Geometry constraint/i.test(message)
        ? 'invalid-geometry'
        : code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH'
          ? 'invalid-value'
          : 'internal';
    if (kind === 'internal' && !code.startsWith('SQLITE_')) throw error;
    return { failure: { kind, message } };
  }
}

function geometrySql(layer: LayerSchema, write: FeatureWrite): { sql: string; params: unknown[] } {
  const geometry = write.geometry;
  if (!geometry) return { sql: '?', params: [null] };
  const srid = sridSql(layer.geometry!.srid);
  const source = `GeomFromWKB(?, ${sridSql(geometry.srid)})`;
  return { sql: geometry.srid === layer.geometry!.srid ? source : `ST_Transform(${source}, ${srid})`, params: [toSqlValue(geometry.wkb)] };
}

function keyColumns(layer: LayerSchema): string {
  const oid = quoteIdentifier(layer.objectIdColumn);
  return layer.globalIdColumn ? `${oid}, ${quoteIdentifier(layer.globalIdColumn)}` : oid;
}

function resultOf(row: unknown[]): EditResult {
  return row.length > 1 && row[1] !== null ? { objectId: row[0] as number, globalId: row[1] as string } : { objectId: row[0] as number };
}

function insertFeature(dataset: FeatureDataset, layer: LayerSchema, add: FeatureWrite): EditResult {
  const columns = layer.columns.map((c) => quoteIdentifier(c.name));
  const values = layer.columns.map((c) => toSqlValue(add.values[c.name]));
  const placeholders = columns.map(() => '?');
  if (layer.geometry) {
    const geometry = geometrySql(layer, add);
    columns.push(SHAPE);
    placeholders.push(geometry.sql);
    values.push(...geometry.params);
  }
  const table = quoteIdentifier(tableOf(layer.id));
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING ${keyColumns(layer)}`;
  const row = dataset.prepareRaw(sql).get(...values) as unknown[];
  if (add.geometry && layer.geometry && add.geometry.srid !== layer.geometry.srid) checkTransformed(dataset, layer, row[0] as number);
  return resultOf(row);
}

/** ST_Transform answers NULL when it cannot project; that is a failed edit, not an empty shape. */
function checkTransformed(dataset: FeatureDataset, layer: LayerSchema, objectId: number): void {
  const sql = `SELECT ${SHAPE} IS NULL FROM ${quoteIdentifier(tableOf(layer.id))} WHERE ${quoteIdentifier(layer.objectIdColumn)} = ?`;
  const [isNull] = dataset.prepareRaw(sql).get(objectId) as [number];
  if (isNull) throw Object.assign(new Error('Geometry could not be projected: geometry constraint'), { code: 'SQLITE_CONSTRAINT_CHECK' });
}

function keyCondition(layer: LayerSchema, key: number | string, useGlobalIds: boolean): { sql: string; params: unknown[] } {
  if (useGlobalIds && layer.globalIdColumn) return { sql: `${quoteIdentifier(layer.globalIdColumn)} = ?`, params: [String(key)] };
  return { sql: `${quoteIdentifier(layer.objectIdColumn)} = ?`, params: [Number(key)] };
}

function notFound(key: number | string, useGlobalIds: boolean): EditResult {
  const result: EditResult = { failure: { kind: 'not-found', message: `Object ${String(key)} does not exist` } };
  if (useGlobalIds) result.globalId = String(key);
  else if (Number.isFinite(Number(key))) result.objectId = Number(key);
  return result;
}

function updateFeature(dataset: FeatureDataset, layer: LayerSchema, update: FeatureUpdate, useGlobalIds: boolean): EditResult {
  const table = quoteIdentifier(tableOf(layer.id));
  const key = keyCondition(layer, update.key, useGlobalIds);
  const assignments: string[] = [];
  const params: unknown[] = [];
  for (const column of layer.columns) {
    if (!(column.name in update.values)) continue;
    assignments.push(`${quoteIdentifier(column.name)} = ?`);
    params.push(toSqlValue(update.values[column.name]));
  }
  if (layer.geometry && update.geometry !== undefined) {
    const geometry = geometrySql(layer, update);
    assignments.push(`${SHAPE} = ${geometry.sql}`);
    params.push(...geometry.params);
  }
  const sql = assignments.length
    ? `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${key.sql} RETURNING ${keyColumns(layer)}`
    : `SELECT ${keyColumns(layer)} FROM ${table} WHERE ${key.sql}`;
  const row = dataset.prepareRaw(sql).get(...params, ...key.params) as unknown[] | undefined;
  if (!row) return notFound(update.key, useGlobalIds);
  if (update.geometry && layer.geometry && update.geometry.srid !== layer.geometry.srid) checkTransformed(dataset, layer, row[0] as number);
  return resultOf(row);
}

function deleteFeature(
  dataset: FeatureDataset,
  layer: LayerSchema,
  key: number | string,
  filter: SqlPart | undefined,
  useGlobalIds: boolean,
): EditResult {
  const table = quoteIdentifier(tableOf(layer.id));
  const condition = keyCondition(layer, key, useGlobalIds);
  const extra = filter?.sql ? ` AND ${filter.sql.slice('WHERE '.length)}` : '';
  const sql = `DELETE FROM ${table} WHERE ${condition.sql}${extra} RETURNING ${keyColumns(layer)}`;
  const row = dataset.prepareRaw(sql).get(...condition.params, ...(filter?.params ?? [])) as unknown[] | undefined;
  if (row) return resultOf(row);
  if (!extra) return notFound(key, useGlobalIds);
  const existing = dataset.prepareRaw(`SELECT ${keyColumns(layer)} FROM ${table} WHERE ${condition.sql}`).get(...condition.params) as
    | unknown[]
    | undefined;
  return existing ? { ...resultOf(existing), skipped: true } : notFound(key, useGlobalIds);
}

function deleteMatching(dataset: FeatureDataset, edits: LayerEdits): EditResult[] {
  const layer = edits.layer;
  const filter = buildWhere(dataset, layer, edits.deleteFilter!);
  const sql = `DELETE FROM ${quoteIdentifier(tableOf(layer.id))} ${filter.sql} RETURNING ${keyColumns(layer)}`;
  return (dataset.prepareRaw(sql).all(...filter.params) as unknown[][]).map(resultOf);
}
