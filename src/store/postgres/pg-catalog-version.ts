import type pg from 'pg';

/** The catalog's version (core/003_catalog_version.sql) on its own: one round trip. */
export async function readCatalogVersion(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<string[]>({ name: 'catalog_version', text: 'SELECT version FROM catalog_version', rowMode: 'array' });
  return String(rows[0]![0]);
}

/**
 * A read statement of `columns` columns that also answers the catalog version, from the same
 * snapshot: one row more, first, holding NULLs then the version; the statement's own rows get a
 * NULL in that last column. The row is there even when the statement matches nothing.
 */
export function withCatalogVersion(sql: string, columns: number): string {
  return `SELECT ${'NULL, '.repeat(columns)}version FROM catalog_version UNION ALL SELECT q.*, NULL FROM (${sql}) AS q`;
}

/**
 * Takes the version row and column out of the rows of a statement made by withCatalogVersion
 * (in place) and answers the version. The row is found by its last column, wherever the plan put it.
 */
export function takeCatalogVersion(rows: unknown[][]): string {
  const at = rows.findIndex((row) => row[row.length - 1] !== null);
  if (at < 0) throw new Error('The statement answered no catalog version');
  const version = String(rows[at]![rows[at]!.length - 1]);
  rows.splice(at, 1);
  for (const row of rows) row.pop();
  return version;
}
