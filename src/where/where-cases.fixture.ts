import type { WhereField } from './index.js';

// The layer, rows and clauses the execution tests share (where-sqlite.test.ts,
// where-postgres.test.ts), so every store is held to the same expected results.
export const FIELDS: WhereField[] = [
  { name: 'OBJECTID', type: 'esriFieldTypeOID' },
  { name: 'NAME', type: 'esriFieldTypeString' },
  { name: 'CITY', type: 'esriFieldTypeString' },
  { name: 'POP', type: 'esriFieldTypeInteger' },
  { name: 'SMALL', type: 'esriFieldTypeSmallInteger' },
  { name: 'BIG', type: 'esriFieldTypeBigInteger' },
  { name: 'AREA', type: 'esriFieldTypeDouble' },
  { name: 'RATIO', type: 'esriFieldTypeSingle' },
  { name: 'CREATED', type: 'esriFieldTypeDate' },
  { name: 'DAY_ONLY', type: 'esriFieldTypeDateOnly' },
  { name: 'TOD', type: 'esriFieldTypeTimeOnly' },
  { name: 'TSO', type: 'esriFieldTypeTimestampOffset' },
  { name: 'GlobalID', type: 'esriFieldTypeGlobalID' },
  { name: 'PARENT_GUID', type: 'esriFieldTypeGUID' },
  { name: 'ORDER', type: 'esriFieldTypeInteger' },
  { name: 'Quoted Name', type: 'esriFieldTypeString' },
  { name: 'SHAPE', type: 'esriFieldTypeGeometry' },
];
export const NOW = new Date('2024-05-06T07:08:09.123Z');
/** The username CURRENT_USER stands for. */
export const CURRENT_USER = 'Berlin';
const guid = (prefix: string, n: number): string => `{${prefix}000000-0000-0000-0000-00000000000${n}}`;
const ms = (iso: string): number => Date.parse(iso);

/** Rows as the SQLite store keeps them (dates as epoch ms); other stores convert per column. */
// OBJECTID, NAME, CITY, POP, SMALL, BIG, AREA, RATIO, CREATED, DAY_ONLY, TOD, TSO, GlobalID, PARENT_GUID, ORDER, Quoted Name, SHAPE
export const ROWS: unknown[][] = [
  [1, 'Paris', 'FR', 2100000, 1, 9007199254740993n, 105.4, 0.5, ms('2020-03-03T10:00:00Z'), '2020-03-03', '10:00:00', '2020-03-03T10:00:00+01:00', guid('0A', 1), guid('0B', 1), 3, 'a"b', Buffer.from([1])],
  [2, 'paris', 'US', 25000, 2, 1, 2.45, 0.25, ms('2019-12-31T23:59:59Z'), '2019-12-31', '23:59:59', '2019-12-31T23:59:59-05:00', guid('0A', 2), guid('0A', 1), 1, 'plain', null],
  [3, "O'Brien", 'IE', 100, null, 2, 10, 1, ms('2020-01-01T00:00:00Z'), '2020-01-01', '00:00:00', '2020-01-01T00:00:00Z', guid('0A', 3), null, 2, null, Buffer.from([2])],
  [4, null, null, null, null, null, null, null, null, null, null, null, guid('0A', 4), null, null, null, null],
  [5, 'Zürich', 'CH', 400000, 5, 3, 87.9, 0.75, ms('2024-05-05T12:00:00Z'), '2024-05-05', '12:30:00', '2024-05-05T12:00:00+02:00', guid('0A', 5), guid('0A', 1), 5, 'x', Buffer.from([3])],
  [6, '100%_done', 'C:\\temp', 50, 3, 4, 1.15, 0.1, ms('2021-06-15T08:30:15.500Z'), '2021-06-15', '08:30:15', null, guid('0A', 6), null, 6, null, Buffer.from([4])],
  [7, '  padded  ', 'FR', 7, 4, 5, 2.5, 0.9, ms('2020-03-03T23:00:00Z'), '2020-03-03', '23:00:00', null, guid('0A', 7), null, 7, null, Buffer.from([5])],
  [8, 'Berlin', 'DE', 3600000, 6, 6, 891.8, 0.6, ms('2024-05-06T06:00:00Z'), '2024-05-06', '06:00:00', null, guid('0A', 8), null, 8, null, Buffer.from([6])],
];
export const ALL = [1, 2, 3, 4, 5, 6, 7, 8];

/** where → OBJECTIDs it selects, worked out by hand from ROWS (now = 2024-05-06T07:08:09.123Z). */
export const EXECUTED: Array<[where: string, ids: number[]]> = [
  ['POP > 100000', [1, 5, 8]],
  ["NAME = 'Paris'", [1]],
  ["NAME LIKE 'par%'", [1, 2]],
  ["UPPER(NAME) = 'PARIS'", [1, 2]],
  ["NAME = 'O''Brien'", [3]],
  ['NAME IS NULL', [4]],
  ['NAME IS NOT NULL AND POP < 100', [6, 7]],
  ["CITY = 'FR' OR CITY = 'US' AND POP > 100000", [1, 7]],
  ["(CITY = 'FR' OR CITY = 'US') AND POP > 100000", [1]],
  ["NOT (CITY = 'FR' OR CITY = 'US')", [3, 5, 6, 8]],
  ['OBJECTID IN (1, 3, 5)', [1, 3, 5]],
  ['OBJECTID NOT IN (1, 3, 5)', [2, 4, 6, 7, 8]],
  ['POP BETWEEN 50 AND 25000', [2, 3, 6]],
  ["NAME LIKE '100!%!_%' ESCAPE '!'", [6]],
  ["NAME LIKE '100\\%%' ESCAPE '\\'", [6]],
  ["CITY LIKE 'C:\\t%'", [6]],
  ["NAME LIKE '%\\_%'", []],
  ["TRIM(NAME) = 'padded'", [7]],
  ['CHAR_LENGTH(NAME) = 10', [7]],
  ["SUBSTRING(NAME FROM 2 FOR 3) = 'ari'", [1, 2]],
  ["POSITION('ri' IN NAME) = 3", [1, 2, 5]],
  ["CREATED > DATE '2020-03-03'", [1, 5, 6, 7, 8]],
  ["CREATED < TIMESTAMP '2020-01-01 00:00:01'", [2, 3]],
  ["CAST(CREATED AS DATE) = DATE '2020-03-03'", [1, 7]],
  ['EXTRACT(YEAR FROM CREATED) = 2020', [1, 3, 7]],
  ['EXTRACT(HOUR FROM CREATED) = 23', [2, 7]],
  ['EXTRACT(SECOND FROM CREATED) = 15.5', [6]],
  ["CREATED > CURRENT_TIMESTAMP - INTERVAL '1' DAY", [5, 8]],
  ['CREATED >= CURRENT_DATE', [8]],
  ['CREATED > CURRENT_DATE - 2', [5, 8]],
  ["CREATED + INTERVAL '12' HOUR > TIMESTAMP '2024-05-06 00:00:00'", [8]],
  ["CREATED > CURRENT_TIMESTAMP - INTERVAL '0 19:08:09' DAY TO SECOND", [8]],
  ["DAY_ONLY = DATE '2020-03-03'", [1, 7]],
  ["DAY_ONLY < CURRENT_TIMESTAMP AND DAY_ONLY >= '2024-01-01'", [5, 8]],
  ['EXTRACT(MONTH FROM DAY_ONLY) = 3', [1, 7]],
  ["TOD > TIME '12:00:00'", [2, 5, 7]],
  ['EXTRACT(MINUTE FROM TOD) = 30', [5, 6]],
  ["TSO < TIMESTAMP '2020-03-03 10:00:00'", [1, 2, 3]],
  ["GlobalID = '{0a000000-0000-0000-0000-000000000003}'", [3]],
  ["PARENT_GUID = '0A000000-0000-0000-0000-000000000001'", [2, 5]],
  ['SHAPE IS NULL', [2, 4]],
  ['ROUND(AREA) = 88', [5]],
  ['ROUND(AREA) = 3', [7]],
  ['ROUND(-AREA) = -3', [7]],
  ['ROUND(AREA, 1) = 891.8', [8]],
  ['TRUNCATE(AREA, 1) = 1.1', [6]],
  ['MOD(POP, 2) = 1', [7]],
  ['MOD(POP, SMALL - 1) = 0', [2, 5, 6, 8]],
  ['POWER(SMALL, 2) = 25', [5]],
  ['LOG10(POP) = 2', [3]],
  ['LOG(RATIO) = 0', [3]],
  ['SQRT(POP) = 10', [3]],
  ['ABS(-POP) = 50', [6]],
  ['CEILING(AREA) = 3 AND FLOOR(AREA) = 2', [2, 7]],
  ['COALESCE(SMALL, 0) = 0', [3, 4]],
  ["NULLIF(CITY, 'FR') IS NULL", [1, 4, 7]],
  ['CAST(AREA AS INTEGER) = 2', [2, 7]],
  ["CAST(POP AS VARCHAR(3)) = '210'", [1]],
  ["CONCAT(CITY, '-', SMALL) = 'FR-1'", [1]],
  ["CITY || '/' || OBJECTID = 'DE/8'", [8]],
  ['ORDER = 3', [1]],
  ['"Quoted Name" LIKE \'%"%\'', [1]],
  ['BIG = 9007199254740993', [1]],
  ['POP < 9223372036854775808 AND AREA > -1e300', [1, 2, 3, 5, 6, 7, 8]],
  ['POP / 2 = 3.5', [7]],
  ['-POP < -1000000', [1, 8]],
  ['NAME = CURRENT_USER', [8]],
  ['1=1', ALL],
  [`OBJECTID IN (${Array.from({ length: 5000 }, (_, i) => i + 1).join(', ')})`, ALL],
  ['1=0', []],
  ["NOT NAME = 'Paris'", [2, 3, 5, 6, 7, 8]],
  ["CITY IN ('FR', 'DE') AND NOT POP < 100", [1, 8]],
  ["OBJECTID > 2 AND (CITY = 'FR' OR POP IS NULL)", [4, 7]],
];

/** Injection attempts (SQLite-flavoured): each must be refused before any SQL runs. */
export const HOSTILE = [
  '1=1; DROP TABLE features',
  "NAME = 'x'; DELETE FROM features; --",
  'OBJECTID = 1 OR 1=1 --',
  'OBJECTID = 1 /* */ OR 1=1',
  'OBJECTID IN (SELECT OBJECTID FROM features)',
  '(SELECT COUNT(*) FROM sqlite_master) > 0',
  'OBJECTID = 1) OR (1=1',
  'OBJECTID = 1 UNION SELECT sql FROM sqlite_master',
  "load_extension('mod_spatialite') IS NULL",
  'sqlite_version() IS NOT NULL',
  'OBJECTID = 1 ATTACH DATABASE x AS y',
  "NAME = 'a' || (SELECT name FROM sqlite_master)",
  'features.OBJECTID = 1',
  'OBJECTID = ?',
  'OBJECTID = :id',
  'PRAGMA writable_schema = 1',
  "NAME = char(39) || 'x'",
  'RANDOMBLOB(10) IS NOT NULL',
];

/** A small deterministic PRNG (mulberry32), so the generated clauses are the same on every run. */
export function createRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ATOMS = [
  'POP > 1000', 'POP <= 100', "NAME = 'Paris'", "CITY = 'FR'", 'AREA < 50', 'SMALL IS NULL', 'SMALL IS NOT NULL',
  'OBJECTID IN (1, 3, 5, 7)', 'POP BETWEEN 50 AND 500000', "NAME LIKE '%r%'", 'OBJECTID <> 4', 'RATIO >= 0.5',
];

/** Random AND/OR/NOT/parenthesis mixes, written without extra parentheses so precedence matters. */
export function generateClause(random: () => number, depth: number): string {
  const pick = random();
  if (depth === 0 || pick < 0.3) return ATOMS[Math.floor(random() * ATOMS.length)];
  if (pick < 0.4) return `NOT ${generateClause(random, depth - 1)}`;
  if (pick < 0.55) return `(${generateClause(random, depth - 1)})`;
  return `${generateClause(random, depth - 1)} ${random() < 0.5 ? 'AND' : 'OR'} ${generateClause(random, depth - 1)}`;
}
