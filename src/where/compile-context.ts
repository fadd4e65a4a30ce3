import type { Slot } from './rewrite-where.js';
import type { SqlDialect } from './sql-dialect.js';
import { WhereClauseError } from './where-clause-error.js';
import type { WhereField, WhereOptions } from './where-types.js';

/** Per-call state while compiling one clause. */
export interface CompileContext {
  dialect: SqlDialect;
  slots: Slot[];
  now: Date;
  currentUser: string | undefined;
  quoteColumn: (canonicalName: string) => string;
  fields: ReadonlyMap<string, WhereField>;
  /** Canonical names used so far; a Set keeps first-use order. */
  used: Set<string>;
  /** havingClause: the group-by fields (lower case), which may appear outside aggregates. */
  groupFields?: ReadonlySet<string>;
  /** Inside an aggregate's argument (fields are free there, aggregates are not). */
  inAggregate: boolean;
}

/** Layer fields by lower-cased name: field names match case-insensitively, as in ArcGIS. */
export function indexFields(fields: WhereField[]): Map<string, WhereField> {
  const index = new Map<string, WhereField>();
  for (const field of fields) index.set(field.name.toLowerCase(), field);
  return index;
}

export function resolveField(ctx: CompileContext, name: string): WhereField {
  const field = ctx.fields.get(name.toLowerCase());
  if (!field) throw new WhereClauseError(`Invalid field: ${name}`);
  if (ctx.groupFields && !ctx.inAggregate && !ctx.groupFields.has(field.name.toLowerCase())) {
    throw new WhereClauseError(`Field ${field.name} must be inside an aggregate function or among groupByFieldsForStatistics`);
  }
  ctx.used.add(field.name);
  return field;
}

export function readSlot<K extends Slot['kind']>(ctx: CompileContext, index: number, kind: K): Extract<Slot, { kind: K }> {
  const slot = ctx.slots[index];
  if (slot?.kind !== kind) throw new WhereClauseError('Unsupported literal');
  return slot as Extract<Slot, { kind: K }>;
}

/** Double-quoted SQL identifier, quotes doubled: safe for any field name in both dialects. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function createContext(options: WhereOptions, dialect: SqlDialect, slots: Slot[], fields: ReadonlyMap<string, WhereField>): CompileContext {
  return {
    dialect,
    slots,
    now: options.now ?? new Date(),
    currentUser: options.currentUser,
    quoteColumn: options.quoteColumn ?? quoteIdentifier,
    fields,
    used: new Set(),
    ...(options.having ? { groupFields: new Set(options.having.groupFields.map((f) => f.toLowerCase())) } : {}),
    inAggregate: false,
  };
}
