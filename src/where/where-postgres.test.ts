import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWhere, WhereClauseError } from './index.js';
import { ALL, createRandom, CURRENT_USER, EXECUTED, FIELDS, generateClause, HOSTILE, NOW, ROWS } from './where-cases.fixture.js';

// Runs compiled clauses against a real PostgreSQL table laid out as the README's storage table
// says: timestamptz for Date and TimestampOffset, date/time for DateOnly/TimeOnly, {UPPER} text
// for GlobalID/GUID. The session time zone is never UTC, so a clause that leans on it shows.
const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * esriFieldType → column type. Single is double precision: in a real column 0.1 is
 * 0.100000001…, so `RATIO = 0.1`, the value clients read back, would match nothing. The shape
 * is bytea: only IS [NOT] NULL reaches it, and installing PostGIS would touch the whole database.
 */
const COLUMN_TYPES: Record<string, string> = {
  esriFieldTypeOID: 'integer PRIMARY KEY',
  esriFieldTypeString: 'text',
  esriFieldTypeInteger: 'integer',
  esriFieldTypeSmallInteger: 'smallint',
  esriFieldTypeBigInteger: 'bigint',
  esriFieldTypeDouble: 'double precision',
  esriFieldTypeSingle: 'double precision',
  esriFieldTypeDate: 'timestamptz',
  esriFieldTypeDateOnly: 'date',
  esriFieldTypeTimeOnly: 'time',
  esriFieldTypeTimestampOffset: 'timestamptz',
  esriFieldTypeGlobalID: 'text',
  esriFieldTypeGUID: 'text',
  esriFieldTypeGeometry: 'bytea',
};

/** Where PostgreSQL legitimately selects other rows than SQLite (README "Semantics chosen"). */
const POSTGRES_DIFFERENCES = new Map<string, number[]>([
  // LIKE is case-sensitive in PostgreSQL ('paris' only), ASCII-case-insensitive in SQLite.
  ["NAME LIKE 'par%'", [2]],
]);

/** PostgreSQL-only checks: its own semantics, and dates that a local session time zone would shift. */
const POSTGRES_EXECUTED: Array<[where: string, ids: number[]]> = [
  ["UPPER(NAME) LIKE 'PAR%'", [1, 2]],
  ["NAME LIKE 'Par%'", [1]],
  ["UPPER(NAME) = 'ZÜRICH'", [5]],
  ['POP / 0 IS NULL', ALL],
  ['POP / (SMALL - 1) > 0', [2, 5, 6, 7, 8]],
  ["CAST(CREATED AS VARCHAR(10)) = '2020-03-03'", [1, 7]],
  ['EXTRACT(DAY FROM CREATED) = 31', [2]],
  ["CAST(CREATED AS DATE) = DATE '2024-05-06'", [8]],
  ["TSO = TIMESTAMP '2020-03-03 09:00:00'", [1]],
  ['EXTRACT(HOUR FROM TSO) = 10', [5]],
  ["DAY_ONLY + 1 = DATE '2020-01-01'", [2]],
  ["CREATED - INTERVAL '1' DAY < DATE '2019-12-31'", [2]],
  ["GlobalID LIKE '{0A%'", [1, 2, 3, 4, 5, 6, 7, 8]],
  ['RATIO = 0.1', [6]],
  // PostgreSQL writes a whole double as '10', SQLite as '10.0'.
  ["CAST(AREA AS VARCHAR(10)) = '10'", [3]],
  ['BIG > 9007199254740992', [1]],
];

/** Clauses that mean something to PostgreSQL in particular; each must be refused before any SQL runs. */
const POSTGRES_HOSTILE = [
  'pg_sleep(5) IS NULL',
  '"pg_sleep"(5) IS NULL',
  "pg_read_file('/etc/passwd') IS NOT NULL",
  "set_config('search_path', 'public', 0) IS NULL",
  "current_setting('search_path') IS NOT NULL",
  "nextval('x') > 0",
  'version() IS NOT NULL',
  "NAME = E'\\x27'",
  "NAME = U&'\\0027'",
  'NAME = $$x$$',
  'NAME = $1',
  'NAME::text = NAME',
  'NAME = CURRENT_SCHEMA',
  "CAST('pg_sleep' AS regproc) IS NULL",
  'NAME COLLATE "C" IS NULL',
  'OBJECTID = 1 OR EXISTS (SELECT 1 FROM pg_tables)',
  "OBJECTID = ANY('{1,2}')",
  'OBJECTID IN (VALUES (1))',
  'OBJECTID = 1 FOR UPDATE',
  'CASE WHEN 1=1 THEN pg_sleep(1) END IS NULL',
  'pg_catalog.pg_sleep(1) IS NULL',
  "NAME = 'x' OR OBJECTID IN (TABLE features)",
];

/** A value as the PostgreSQL store would bind it for the field at `index`. */
function toPostgres(value: unknown, index: number): unknown {
  if (value === null) return null;
  if (FIELDS[index].type === 'esriFieldTypeDate') return new Date(value as number).toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function createTable(client: pg.Client, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA ${schema}`);
  const columns = FIELDS.map((field) => `${quote(field.name)} ${COLUMN_TYPES[field.type]}`);
  await client.query(`CREATE TABLE ${schema}.features (${columns.join(', ')})`);
  const placeholders = FIELDS.map((_, i) => `$${i + 1}`).join(', ');
  for (const row of ROWS) {
    await client.query(`INSERT INTO ${schema}.features VALUES (${placeholders})`, row.map(toPostgres));
  }
  // The raw clauses of the differential test name fields unquoted, which PostgreSQL folds to lower case.
  const aliases = FIELDS.map((field) => `${quote(field.name)} AS ${quote(field.name.toLowerCase())}`);
  await client.query(`CREATE VIEW ${schema}.native AS SELECT ${aliases.join(', ')} FROM ${schema}.features`);
}

async function selectIds(client: pg.Client, schema: string, where: string): Promise<number[]> {
  const compiled = compileWhere(where, { fields: FIELDS, dialect: 'postgres', now: NOW, currentUser: CURRENT_USER });
  const sql = `SELECT "OBJECTID" FROM ${schema}.features WHERE ${compiled.sql} ORDER BY "OBJECTID"`;
  const result = await client.query<{ OBJECTID: number }>(sql, compiled.params);
  return result.rows.map((row) => row.OBJECTID);
}

async function selectNativeIds(client: pg.Client, schema: string, where: string): Promise<number[]> {
  const result = await client.query<{ objectid: number }>(`SELECT objectid FROM ${schema}.native WHERE ${where} ORDER BY objectid`);
  return result.rows.map((row) => row.objectid);
}

/** What the hostile clauses must not change: the schema's relations, their columns and the rows. */
async function describeSchema(client: pg.Client, schema: string): Promise<unknown[]> {
  const result = await client.query(
    `SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const rows = await client.query(`SELECT count(*)::int AS n FROM ${schema}.features`);
  return [...(result.rows as unknown[]), rows.rows[0] as unknown];
}

const label = (where: string): string => (where.length > 80 ? `${where.slice(0, 77)}...` : where);

describe.each(['America/New_York', 'Pacific/Kiritimati'])('compiled where clauses on PostgreSQL (session time zone %s)', (timeZone) => {
  const schema = `where_test_${randomBytes(6).toString('hex')}`;
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c TimeZone=${timeZone}` });
    await client.connect();
    await createTable(client, schema);
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('runs in a non-UTC session time zone on a populated table', async () => {
    expect((await client.query<{ TimeZone: string }>('SHOW TimeZone')).rows[0]!.TimeZone).toBe(timeZone);
    expect(await selectNativeIds(client, schema, '1=1')).toEqual(ALL);
  });

  it('lists only differences that are shared cases', () => {
    const shared = new Set(EXECUTED.map(([where]) => where));
    expect([...POSTGRES_DIFFERENCES.keys()].filter((where) => !shared.has(where))).toEqual([]);
  });

  const cases = EXECUTED.map(([where, ids]) => [label(where), where, POSTGRES_DIFFERENCES.get(where) ?? ids] as const);
  it.each(cases)('%s', async (_label, where, ids) => {
    expect(await selectIds(client, schema, where)).toEqual(ids);
  });

  it.each(POSTGRES_EXECUTED.map(([where, ids]) => [label(where), where, ids] as const))('PostgreSQL: %s', async (_label, where, ids) => {
    expect(await selectIds(client, schema, where)).toEqual(ids);
  });

  it('agrees with PostgreSQL itself on 100 random AND/OR/NOT clauses', async () => {
    const random = createRandom(20240507);
    for (let i = 0; i < 100; i++) {
      const where = generateClause(random, 4);
      expect(await selectIds(client, schema, where), where).toEqual(await selectNativeIds(client, schema, where));
    }
  });

  // README: PostgreSQL raises where SQLite yields NULL; the store maps SQLSTATE class 22 to a 400.
  it.each([
    ['CAST(NAME AS INTEGER) = 1', '22P02'],
    ['SQRT(POP - 1000000) > 0', '2201F'],
    ['ASIN(AREA) > 0', '22003'],
    ['CAST(NAME AS DATE) IS NULL', '22007'],
    ["SUBSTRING(NAME FROM 2 FOR -1) = ''", '22011'],
    ["NAME LIKE '100%' ESCAPE '%'", '22025'],
  ])('raises a data exception for %s', async (where, code) => {
    await expect(selectIds(client, schema, where)).rejects.toMatchObject({ code });
  });

  it('refuses hostile clauses and leaves the table and schema intact', async () => {
    const before = await describeSchema(client, schema);
    expect(before.length).toBeGreaterThan(FIELDS.length);
    for (const where of [...HOSTILE, ...POSTGRES_HOSTILE]) {
      expect(() => compileWhere(where, { fields: FIELDS, dialect: 'postgres', now: NOW }), where).toThrow(WhereClauseError);
    }
    expect(await describeSchema(client, schema)).toEqual(before);
    expect(await selectIds(client, schema, '1=1')).toEqual(ALL);
  });

  it('runs hostile-looking values as plain values', async () => {
    const values = ["x'; DROP TABLE features; --", 'Robert"); DELETE FROM features;--', '%; ATTACH', "\\'; --", '$$; DROP SCHEMA x; $$', "E'\\x27'"];
    for (const value of values) {
      const literal = `'${value.replace(/'/g, "''")}'`;
      expect(await selectIds(client, schema, `NAME = ${literal} OR CITY LIKE ${literal}`), value).toEqual([]);
    }
    expect(await selectIds(client, schema, '1=1')).toEqual(ALL);
  });
});
