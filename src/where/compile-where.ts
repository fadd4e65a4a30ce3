import { createContext, indexFields } from './compile-context.js';
import { compilePredicate } from './compile-predicate.js';
import { parseWhere } from './parse-where.js';
import { postgresDialect } from './postgres-dialect.js';
import { rewriteWhere } from './rewrite-where.js';
import type { SqlDialect } from './sql-dialect.js';
import { renderParts } from './sql-parts.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { WhereClauseError } from './where-clause-error.js';
import type { CompiledWhere, WhereOptions } from './where-types.js';

const DIALECTS: Record<WhereOptions['dialect'], SqlDialect> = { sqlite: sqliteDialect, postgres: postgresDialect };
/** Keeps SQLite (32 766 variables) and PostgreSQL (65 535) clear of their bind limits. */
const MAX_PARAMS = 30_000;

/**
 * Compiles an ArcGIS standardized-query where clause (SQL-92 subset, ArcGIS standardized queries) to a
 * parameterised SQL condition for the SQLite or PostgreSQL store. Field names are checked
 * against the layer (case-insensitively) and every value becomes a bound parameter; anything
 * else is refused with a WhereClauseError whose message is safe to show the client.
 *
 * @example
 * compileWhere("pop > 1000 AND name LIKE 'A%'", { fields, dialect: 'postgres' })
 * // → { sql: '"POP" > $1::bigint AND "NAME" LIKE $2::text ESCAPE \'\'', params: [1000, 'A%'], fields: ['POP', 'NAME'] }
 */
export function compileWhere(where: string | undefined | null, options: WhereOptions): CompiledWhere {
  const dialect = DIALECTS[options.dialect];
  if (!dialect) throw new Error(`Unknown where dialect: ${String(options.dialect)}`);
  if (where === undefined || where === null) return { sql: '1=1', params: [], fields: [] };
  if (typeof where !== 'string') throw new WhereClauseError('Where clause must be text');
  if (where.trim() === '' || /^\s*1\s*=\s*1\s*$/.test(where)) return { sql: '1=1', params: [], fields: [] };
  const fields = indexFields(options.fields);
  try {
    const rewritten = rewriteWhere(where, new Set(fields.keys()));
    const tree = parseWhere(rewritten);
    const ctx = createContext(options, dialect, rewritten.slots, fields);
    const compiled = renderParts(compilePredicate(tree, ctx, true).sql, options.dialect);
    if (compiled.params.length > MAX_PARAMS) throw new WhereClauseError('Where clause has too many values');
    return { ...compiled, fields: [...ctx.used] };
  } catch (error) {
    // Pathological nesting can exhaust the stack in the parser or in our recursion.
    if (error instanceof RangeError) throw new WhereClauseError('Where clause is too complex');
    throw error;
  }
}
