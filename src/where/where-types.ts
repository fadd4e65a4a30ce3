/** A layer field the where clause may reference. `type` is the esriFieldType* name. */
export interface WhereField {
  name: string;
  /**
   * esriFieldTypeString | Integer | SmallInteger | BigInteger | Double | Single | Date | OID |
   * GlobalID | GUID | DateOnly | TimeOnly | TimestampOffset, and esriFieldTypeGeometry for the
   * shape column (usable only in `IS [NOT] NULL`).
   */
  type: string;
}

export type WhereDialect = 'sqlite' | 'postgres';

export interface WhereOptions {
  fields: WhereField[];
  dialect: WhereDialect;
  /** Turns a canonical field name into SQL. Default: a double-quoted identifier. */
  quoteColumn?: (canonicalName: string) => string;
  /** The clock for CURRENT_DATE / CURRENT_TIMESTAMP. Default: the time of the call. */
  now?: Date;
  /** The caller's username for CURRENT_USER (ArcGIS 11.2). Without it CURRENT_USER is refused. */
  currentUser?: string;
  /**
   * Compile a havingClause: aggregate functions of fields are allowed, and a field outside one
   * must be among the statistics' group-by fields.
   */
  having?: { groupFields: string[] };
}

export interface CompiledWhere {
  /** A boolean SQL expression with `?` (sqlite) or `$1..$n` (postgres) placeholders. */
  sql: string;
  /** Bound values, in placeholder order. */
  params: unknown[];
  /** Canonical names of the fields the clause uses, in order of first use. */
  fields: string[];
}
