import type pg from 'pg';
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
import { SHAPE, SqlParams, buildWhere, columnType, quoteIdentifier, sridSql, tableOf, writeColumn } from './pg-feature-sql.js';

/** A failed item under rollbackOnFailure: the whole transaction is rolled back. */
class Rollback extends Error {}

/**
 * Runs a request's edits in one transaction on one connection. Without rollbackOnFailure each
 * item runs under a savepoint, so a failed item is undone alone and the rest commits; with it,
 * the first failure rolls everything back. Object ids come from an identity sequence, which a
 * rollback never rewinds: ids are never handed out twice.
 */
export async function applyEditsInTransaction(client: pg.PoolClient, dataset: string, edits: LayerEdits[], options: EditOptions): Promise<EditOutcome> {
  const layers: LayerEditResults[] = edits.map((e) => ({ layerId: e.layer.id, adds: [], updates: [], deletes: [] }));
  await client.query('BEGIN');
  try {
    for (let i = 0; i < edits.length; i++) await applyLayerEdits(client, dataset, edits[i]!, layers[i]!, options);
    // The database's clock, not this node's: every node of a cluster stamps edits on one clock.
    const moment = await client.query<[number]>({ text: 'SELECT round(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint', rowMode: 'array' });
    await client.query('COMMIT');
    return { committed: true, editMoment: moment.rows[0]![0], layers };
  } catch (error) {
    await client.query('ROLLBACK');
    if (error instanceof Rollback) return { committed: false, editMoment: Date.now(), layers };
    throw error;
  }
}

type Work = () => Promise<EditResult>;

async function applyLayerEdits(client: pg.PoolClient, dataset: string, edits: LayerEdits, out: LayerEditResults, options: EditOptions): Promise<void> {
  const run = async (list: EditResult[], work: Work) => {
    const result = await guard(client, work, options.rollbackOnFailure);
    list.push(result);
    if (result.failure && options.rollbackOnFailure) throw new Rollback();
  };
  const layer = edits.layer;
  const adds = edits.adds ?? [];
  const chunk = Math.max(1, Math.floor(MAX_BATCH_PARAMS / (layer.columns.length + 1)));
  for (let start = 0; start < adds.length; start += chunk) {
    const batch = adds.slice(start, start + chunk);
    if (batch.length > 1 && (await tryInsertBatch(client, dataset, layer, batch, out))) continue;
    for (const add of batch) await run(out.adds, () => insertFeature(client, dataset, layer, add));
  }
  const updates = edits.updates ?? [];
  const updated = updates.length > 1 ? await tryUpdateBatches(client, dataset, layer, updates, options.useGlobalIds) : undefined;
  if (updated) pushResults(out.updates, updated, options.rollbackOnFailure);
  else for (const update of updates) await run(out.updates, () => updateFeature(client, dataset, layer, update, options.useGlobalIds));
  if (edits.deletes) {
    const deleted = edits.deletes.length > 1 ? await tryDeleteBatch(client, dataset, edits, edits.deletes, options.useGlobalIds) : undefined;
    if (deleted) pushResults(out.deletes, deleted, options.rollbackOnFailure);
    else for (const key of edits.deletes) await run(out.deletes, () => deleteFeature(client, dataset, edits, key, options.useGlobalIds));
  } else if (edits.deleteFilter) {
    out.deletes.push(...(await deleteMatching(client, dataset, edits)));
  }
}

/**
 * PostgreSQL errors become per-item failures. A failed statement aborts the transaction, so
 * each item runs under a savepoint unless the whole transaction is to be rolled back anyway.
 */
async function guard(client: pg.PoolClient, work: Work, wholeTransaction: boolean): Promise<EditResult> {
  if (!wholeTransaction) await client.query('SAVEPOINT item');
  try {
    const result = await work();
    if (!wholeTransaction) await client.query('RELEASE SAVEPOINT item');
    return result;
  } catch (error) {
    const kind = failureKind(error);
    if (kind === undefined) throw error;
    if (!wholeTransaction) await client.query('ROLLBACK TO SAVEPOINT item');
    return { failure: { kind, message: (error as Error).message } };
  }
}

/** 23505 unique, other 23xxx constraints and 22xxx bad values; PostGIS reports XX000. */
function failureKind(error: unknown): EditFailureKind | undefined {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  if (code === '23505') return 'duplicate';
  if (code === 'XX000' && /geometry|transform|GEOS|WKB|srid|spatial_ref_sys/i.test(message)) return 'invalid-geometry';
  if (code.startsWith('23') || code.startsWith('22')) return 'invalid-value';
  return undefined;
}

function geometrySql(layer: LayerSchema, write: FeatureWrite, params: SqlParams): string {
  const geometry = write.geometry;
  if (!geometry) return 'NULL';
  const source = `ST_GeomFromWKB(${params.add(geometry.wkb)}, ${sridSql(geometry.srid)})`;
  return geometry.srid === layer.geometry!.srid ? source : `ST_Transform(${source}, ${sridSql(layer.geometry!.srid)})`;
}

function keyColumns(layer: LayerSchema): string {
  const oid = quoteIdentifier(layer.objectIdColumn);
  return layer.globalIdColumn ? `${oid}, ${quoteIdentifier(layer.globalIdColumn)}` : oid;
}

function resultOf(row: unknown[]): EditResult {
  return row.length > 1 && row[1] !== null ? { objectId: row[0] as number, globalId: row[1] as string } : { objectId: row[0] as number };
}

async function one(client: pg.PoolClient, text: string, values: unknown[]): Promise<unknown[] | undefined> {
  return (await client.query<unknown[]>({ text, values, rowMode: 'array' })).rows[0];
}

async function insertFeature(client: pg.PoolClient, dataset: string, layer: LayerSchema, add: FeatureWrite): Promise<EditResult> {
  const params = new SqlParams();
  const columns = layer.columns.map((c) => quoteIdentifier(c.name));
  const values = layer.columns.map((c) => writeColumn(c, params.add(add.values[c.name])));
  if (layer.geometry) {
    columns.push(SHAPE);
    values.push(geometrySql(layer, add, params));
  }
  const table = quoteIdentifier(tableOf(dataset, layer.id));
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')}) RETURNING ${keyColumns(layer)}`;
  return resultOf((await one(client, sql, params.values))!);
}

/** Bound values per multi-row INSERT, clear of PostgreSQL's 65,535. */
const MAX_BATCH_PARAMS = 30_000;

/**
 * Adds a batch in one multi-row INSERT (one round trip, one version bump) under a savepoint.
 * When any row fails, the savepoint undoes the batch and false sends the caller item by item,
 * which finds and reports the failing one; the object ids the batch drew are simply skipped.
 */
async function tryInsertBatch(client: pg.PoolClient, dataset: string, layer: LayerSchema, batch: FeatureWrite[], out: LayerEditResults): Promise<boolean> {
  const params = new SqlParams();
  const columns = layer.columns.map((c) => quoteIdentifier(c.name));
  if (layer.geometry) columns.push(SHAPE);
  const rows = batch.map((add) => {
    const values = layer.columns.map((c) => writeColumn(c, params.add(add.values[c.name])));
    if (layer.geometry) values.push(geometrySql(layer, add, params));
    return `(${values.join(', ')})`;
  });
  const table = quoteIdentifier(tableOf(dataset, layer.id));
  await client.query('SAVEPOINT batch');
  try {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.join(', ')} RETURNING ${keyColumns(layer)}`;
    const inserted = await client.query<unknown[]>({ text: sql, values: params.values, rowMode: 'array' });
    await client.query('RELEASE SAVEPOINT batch');
    out.adds.push(...inserted.rows.map(resultOf));
    return true;
  } catch (error) {
    if (failureKind(error) === undefined) throw error;
    await client.query('ROLLBACK TO SAVEPOINT batch');
    return false;
  }
}

function keyCondition(layer: LayerSchema, key: number | string, useGlobalIds: boolean, params: SqlParams): string {
  if (useGlobalIds && layer.globalIdColumn) return `${quoteIdentifier(layer.globalIdColumn)} = ${params.add(String(key))}::text`;
  const id = Number(key);
  // A key that is no integer matches nothing (as in SQLite) rather than failing the statement.
  return `${quoteIdentifier(layer.objectIdColumn)} = ${params.add(Number.isSafeInteger(id) ? id : null)}::bigint`;
}

function notFound(key: number | string, useGlobalIds: boolean): EditResult {
  const result: EditResult = { failure: { kind: 'not-found', message: `Object ${String(key)} does not exist` } };
  if (useGlobalIds) result.globalId = String(key);
  else if (Number.isFinite(Number(key))) result.objectId = Number(key);
  return result;
}

async function updateFeature(client: pg.PoolClient, dataset: string, layer: LayerSchema, update: FeatureUpdate, useGlobalIds: boolean): Promise<EditResult> {
  const table = quoteIdentifier(tableOf(dataset, layer.id));
  const params = new SqlParams();
  const assignments: string[] = [];
  for (const column of layer.columns) {
    if (!(column.name in update.values)) continue;
    assignments.push(`${quoteIdentifier(column.name)} = ${writeColumn(column, params.add(update.values[column.name]))}`);
  }
  if (layer.geometry && update.geometry !== undefined) assignments.push(`${SHAPE} = ${geometrySql(layer, update, params)}`);
  const key = keyCondition(layer, update.key, useGlobalIds, params);
  const sql = assignments.length
    ? `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${key} RETURNING ${keyColumns(layer)}`
    : `SELECT ${keyColumns(layer)} FROM ${table} WHERE ${key}`;
  const row = await one(client, sql, params.values);
  return row ? resultOf(row) : notFound(update.key, useGlobalIds);
}

async function deleteFeature(client: pg.PoolClient, dataset: string, edits: LayerEdits, key: number | string, useGlobalIds: boolean): Promise<EditResult> {
  const layer = edits.layer;
  const table = quoteIdentifier(tableOf(dataset, layer.id));
  const params = new SqlParams();
  const condition = keyCondition(layer, key, useGlobalIds, params);
  const filter = edits.deleteFilter ? buildWhere(layer, edits.deleteFilter, params) : '';
  const extra = filter ? ` AND ${filter.slice('WHERE '.length)}` : '';
  const row = await one(client, `DELETE FROM ${table} WHERE ${condition}${extra} RETURNING ${keyColumns(layer)}`, params.values);
  if (row) return resultOf(row);
  if (!extra) return notFound(key, useGlobalIds);
  const keyOnly = new SqlParams();
  const existing = await one(client, `SELECT ${keyColumns(layer)} FROM ${table} WHERE ${keyCondition(layer, key, useGlobalIds, keyOnly)}`, keyOnly.values);
  return existing ? { ...resultOf(existing), skipped: true } : notFound(key, useGlobalIds);
}

async function deleteMatching(client: pg.PoolClient, dataset: string, edits: LayerEdits): Promise<EditResult[]> {
  const layer = edits.layer;
  const params = new SqlParams();
  const where = buildWhere(layer, edits.deleteFilter!, params);
  const sql = `DELETE FROM ${quoteIdentifier(tableOf(dataset, layer.id))} ${where} RETURNING ${keyColumns(layer)}`;
  const { rows } = await client.query<unknown[]>({ text: sql, values: params.values, rowMode: 'array' });
  // In object id order, as the embedded store reports them.
  return rows.sort((a, b) => (a[0] as number) - (b[0] as number)).map(resultOf);
}

/**
 * Results of a batch, in request order. Under rollbackOnFailure they stop at the first failure and
 * the transaction is rolled back, as item by item would.
 */
function pushResults(list: EditResult[], results: EditResult[], rollbackOnFailure: boolean): void {
  for (const result of results) {
    list.push(result);
    if (result.failure && rollbackOnFailure) throw new Rollback();
  }
}

/** A statement under a savepoint: its rows, or undefined (undone) when a row fails as an item would. */
async function tryBatch(client: pg.PoolClient, text: string, values: unknown[]): Promise<unknown[][] | undefined> {
  await client.query('SAVEPOINT batch');
  try {
    const { rows } = await client.query<unknown[]>({ text, values, rowMode: 'array' });
    await client.query('RELEASE SAVEPOINT batch');
    return rows;
  } catch (error) {
    if (failureKind(error) === undefined) throw error;
    await client.query('ROLLBACK TO SAVEPOINT batch');
    return undefined;
  }
}

/** The key as the batch statements bind it: an object id (null when no integer: matches nothing) or a global id. */
function keyValue(key: number | string, byGlobalId: boolean): number | string | null {
  if (byGlobalId) return String(key);
  const id = Number(key);
  return Number.isSafeInteger(id) ? id : null;
}

/** Keys per DELETE … = ANY(array): one bound value whatever the count. */
const MAX_BATCH_KEYS = 10_000;

/**
 * Deletes by key in a few statements (`= ANY`), not one per feature; each key still gets its own
 * result (deleted, skipped by the filter, or not found; a key given twice is found once).
 * Undefined when a statement fails: the caller goes item by item.
 */
async function tryDeleteBatch(client: pg.PoolClient, dataset: string, edits: LayerEdits, keys: Array<number | string>, useGlobalIds: boolean): Promise<EditResult[] | undefined> {
  const layer = edits.layer;
  const byGlobalId = useGlobalIds && !!layer.globalIdColumn;
  const table = quoteIdentifier(tableOf(dataset, layer.id));
  const keyColumn = byGlobalId ? `${quoteIdentifier(layer.globalIdColumn!)}::text` : quoteIdentifier(layer.objectIdColumn);
  const arrayType = byGlobalId ? 'text[]' : 'bigint[]';
  const keyOf = (row: unknown[]) => String(byGlobalId ? row[1] : row[0]);
  const deleted = new Map<string, unknown[]>();
  const existing = new Map<string, unknown[]>();
  for (let start = 0; start < keys.length; start += MAX_BATCH_KEYS) {
    const chunk = keys.slice(start, start + MAX_BATCH_KEYS).map((key) => keyValue(key, byGlobalId));
    const params = new SqlParams();
    const condition = `${keyColumn} = ANY(${params.add(chunk)}::${arrayType})`;
    const filter = edits.deleteFilter ? buildWhere(layer, edits.deleteFilter, params) : '';
    const extra = filter ? ` AND ${filter.slice('WHERE '.length)}` : '';
    const rows = await tryBatch(client, `DELETE FROM ${table} WHERE ${condition}${extra} RETURNING ${keyColumns(layer)}`, params.values);
    if (!rows) return undefined;
    for (const row of rows) deleted.set(keyOf(row), row);
    if (extra) {
      // Keys the filter kept: they exist and are reported as skipped.
      const left = new SqlParams();
      const found = await client.query<unknown[]>({
        text: `SELECT ${keyColumns(layer)} FROM ${table} WHERE ${keyColumn} = ANY(${left.add(chunk)}::${arrayType})`,
        values: left.values,
        rowMode: 'array',
      });
      for (const row of found.rows) existing.set(keyOf(row), row);
    }
  }
  return keys.map((key) => {
    const value = keyValue(key, byGlobalId);
    const id = value === null ? '' : String(value);
    const row = deleted.get(id);
    if (row) {
      deleted.delete(id);
      return resultOf(row);
    }
    const kept = existing.get(id);
    return kept ? { ...resultOf(kept), skipped: true } : notFound(key, useGlobalIds);
  });
}

/**
 * Updates in one `UPDATE … FROM (VALUES …)` per set of columns written, not one per feature;
 * each update still gets its own result (updated or not found). Undefined, so the caller goes
 * item by item, when a key repeats (updates of one feature apply in order), when an update writes
 * no column, or when a statement fails (the item path finds and reports the failing feature).
 */
async function tryUpdateBatches(client: pg.PoolClient, dataset: string, layer: LayerSchema, updates: FeatureUpdate[], useGlobalIds: boolean): Promise<EditResult[] | undefined> {
  const byGlobalId = useGlobalIds && !!layer.globalIdColumn;
  const keys = new Set(updates.map((u) => String(keyValue(u.key, byGlobalId))));
  if (keys.size < updates.length) return undefined;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < updates.length; i++) {
    const written = writtenColumns(layer, updates[i]!);
    if (!written.columns.length && !written.geometry) return undefined;
    const shape = JSON.stringify(written);
    groups.set(shape, [...(groups.get(shape) ?? []), i]);
  }
  const results: Array<EditResult | undefined> = [];
  const table = quoteIdentifier(tableOf(dataset, layer.id));
  for (const [shape, indexes] of groups) {
    const { columns, geometry } = JSON.parse(shape) as { columns: string[]; geometry: boolean };
    const schemaColumns = columns.map((name) => layer.columns.find((c) => c.name === name)!);
    const chunk = Math.max(1, Math.floor(MAX_BATCH_PARAMS / (columns.length + 3)));
    for (let start = 0; start < indexes.length; start += chunk) {
      const params = new SqlParams();
      const rows = indexes.slice(start, start + chunk).map((index) => {
        const update = updates[index]!;
        const values = [`${params.add(index)}::integer`, `${params.add(keyValue(update.key, byGlobalId))}::${byGlobalId ? 'text' : 'bigint'}`];
        for (const column of schemaColumns) values.push(`(${writeColumn(column, params.add(update.values[column.name]))})::${columnType(column)}`);
        if (geometry) values.push(`(${geometrySql(layer, update, params)})::geometry`);
        return `(${values.join(', ')})`;
      });
      const names = ['i', 'k', ...columns.map((_, n) => `c${n}`), ...(geometry ? ['g'] : [])];
      const assignments = columns.map((name, n) => `${quoteIdentifier(name)} = v.c${n}`);
      if (geometry) assignments.push(`${SHAPE} = v.g`);
      const key = byGlobalId ? `t.${quoteIdentifier(layer.globalIdColumn!)}::text` : `t.${quoteIdentifier(layer.objectIdColumn)}`;
      const returning = keyColumns(layer).split(', ').map((c) => `t.${c}`).join(', ');
      const sql = `UPDATE ${table} AS t SET ${assignments.join(', ')} FROM (VALUES ${rows.join(', ')}) AS v(${names.join(', ')})
        WHERE ${key} = v.k RETURNING v.i, ${returning}`;
      const updated = await tryBatch(client, sql, params.values);
      if (!updated) return undefined;
      for (const row of updated) results[row[0] as number] = resultOf(row.slice(1));
    }
  }
  return updates.map((update, i) => results[i] ?? notFound(update.key, useGlobalIds));
}

/** The columns an update writes (in schema order) and whether it writes the geometry. */
function writtenColumns(layer: LayerSchema, update: FeatureUpdate): { columns: string[]; geometry: boolean } {
  return {
    columns: layer.columns.filter((c) => c.name in update.values).map((c) => c.name),
    geometry: !!layer.geometry && update.geometry !== undefined,
  };
}
