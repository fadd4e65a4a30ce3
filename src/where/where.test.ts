import { describe, expect, it } from 'vitest';
import { compileWhere, WhereClauseError, type WhereField } from './index.js';
import { FIELDS as SHARED_FIELDS, NOW } from './where-cases.fixture.js';

// The execution tests' layer, plus a blob field that no clause may use.
const FIELDS: WhereField[] = [...SHARED_FIELDS, { name: 'PHOTO', type: 'esriFieldTypeBlob' }];
const OPTIONS = { fields: FIELDS, now: NOW, currentUser: 'bob' };

/** where → SQLite SQL, SQLite params, PostgreSQL SQL[, PostgreSQL params when they differ]. */
type ValidCase = [where: string, sqlite: string, sqliteParams: unknown[], postgres: string, postgresParams?: unknown[]];

const VALID: ValidCase[] = [
  ['POP > 5', '"POP" > ?', [5], '"POP" > $1::bigint'],
  ['pop >= 5', '"POP" >= ?', [5], '"POP" >= $1::bigint'],
  ['POP < 5.5', '"POP" < ?', [5.5], '"POP" < $1::double precision'],
  ['POP <= -2', '"POP" <= ?', [-2], '"POP" <= $1::bigint'],
  ['POP = 0', '"POP" = ?', [0], '"POP" = $1::bigint'],
  ['POP <> 3', '"POP" <> ?', [3], '"POP" <> $1::bigint'],
  ['POP != 3', '"POP" <> ?', [3], '"POP" <> $1::bigint'],
  ["NAME = 'Paris'", '"NAME" = ?', ["Paris"], '"NAME" = $1::text'],
  ["NAME = 'O''Brien'", '"NAME" = ?', ["O'Brien"], '"NAME" = $1::text'],
  ["NAME = ''", '"NAME" = ?', [""], '"NAME" = $1::text'],
  [`"NAME" = 'x'`, '"NAME" = ?', ["x"], '"NAME" = $1::text'],
  [`"Quoted Name" = 'x'`, '"Quoted Name" = ?', ["x"], '"Quoted Name" = $1::text'],
  ['ORDER = 1', '"ORDER" = ?', [1], '"ORDER" = $1::bigint'],
  ['"order" = 1', '"ORDER" = ?', [1], '"ORDER" = $1::bigint'],
  ["name = 'a' AND pop > 1", '"NAME" = ? AND "POP" > ?', ["a", 1], '"NAME" = $1::text AND "POP" > $2::bigint'],
  ["NAME = 'a' OR NAME = 'b'", '"NAME" = ? OR "NAME" = ?', ["a", "b"], '"NAME" = $1::text OR "NAME" = $2::text'],
  ["POP = 1 OR POP = 2 AND NAME = 'x'", '"POP" = ? OR ("POP" = ? AND "NAME" = ?)', [1, 2, "x"], '"POP" = $1::bigint OR ("POP" = $2::bigint AND "NAME" = $3::text)'],
  ["(POP = 1 OR POP = 2) AND NAME = 'x'", '("POP" = ? OR "POP" = ?) AND "NAME" = ?', [1, 2, "x"], '("POP" = $1::bigint OR "POP" = $2::bigint) AND "NAME" = $3::text'],
  ['POP = 1 AND POP = 2 OR POP = 3 AND POP = 4', '("POP" = ? AND "POP" = ?) OR ("POP" = ? AND "POP" = ?)', [1, 2, 3, 4], '("POP" = $1::bigint AND "POP" = $2::bigint) OR ("POP" = $3::bigint AND "POP" = $4::bigint)'],
  ['NOT POP = 1', 'NOT ("POP" = ?)', [1], 'NOT ("POP" = $1::bigint)'],
  ['NOT (POP = 1 OR POP = 2)', 'NOT ("POP" = ? OR "POP" = ?)', [1, 2], 'NOT ("POP" = $1::bigint OR "POP" = $2::bigint)'],
  ['NOT NOT POP = 1', 'NOT (NOT ("POP" = ?))', [1], 'NOT (NOT ("POP" = $1::bigint))'],
  ['NOT POP = 1 AND POP = 2', 'NOT ("POP" = ?) AND "POP" = ?', [1, 2], 'NOT ("POP" = $1::bigint) AND "POP" = $2::bigint'],
  ['((POP > 1))', '"POP" > ?', [1], '"POP" > $1::bigint'],
  ['POP IN (1, 2, 3)', '"POP" IN (?, ?, ?)', [1, 2, 3], '"POP" IN ($1::bigint, $2::bigint, $3::bigint)'],
  ['POP NOT IN (1, 2)', '"POP" NOT IN (?, ?)', [1, 2], '"POP" NOT IN ($1::bigint, $2::bigint)'],
  ["NAME IN ('a', 'b')", '"NAME" IN (?, ?)', ["a", "b"], '"NAME" IN ($1::text, $2::text)'],
  ['POP IN (-1, +2)', '"POP" IN (?, ?)', [-1, 2], '"POP" IN ($1::bigint, $2::bigint)'],
  ['POP IN (1, AREA)', '"POP" IN (?, "AREA")', [1], '"POP" IN ($1::bigint, "AREA")'],
  ['POP BETWEEN 1 AND 10', '"POP" BETWEEN ? AND ?', [1, 10], '"POP" BETWEEN $1::bigint AND $2::bigint'],
  ['POP NOT BETWEEN 1 AND 10', '"POP" NOT BETWEEN ? AND ?', [1, 10], '"POP" NOT BETWEEN $1::bigint AND $2::bigint'],
  ['NAME IS NULL', '"NAME" IS NULL', [], '"NAME" IS NULL'],
  ['NAME IS NOT NULL', '"NAME" IS NOT NULL', [], '"NAME" IS NOT NULL'],
  ['SHAPE IS NULL', '"SHAPE" IS NULL', [], '"SHAPE" IS NULL'],
  ['shape IS NOT NULL', '"SHAPE" IS NOT NULL', [], '"SHAPE" IS NOT NULL'],
  ["NAME LIKE 'A%'", '"NAME" LIKE ?', ["A%"], `"NAME" LIKE $1::text ESCAPE ''`],
  ["NAME NOT LIKE '%x_'", '"NAME" NOT LIKE ?', ["%x_"], `"NAME" NOT LIKE $1::text ESCAPE ''`],
  ["NAME LIKE 'a!%%' ESCAPE '!'", '"NAME" LIKE ? ESCAPE ?', ["a!%%", "!"], '"NAME" LIKE $1::text ESCAPE $2::text'],
  ["NAME LIKE 'a\\%' ESCAPE '\\'", '"NAME" LIKE ? ESCAPE ?', ["a\\%", "\\"], '"NAME" LIKE $1::text ESCAPE $2::text'],
  ["NAME LIKE 'C:\\temp%'", '"NAME" LIKE ?', ["C:\\temp%"], `"NAME" LIKE $1::text ESCAPE ''`],
  ["UPPER(NAME) LIKE 'PAR%'", 'upper("NAME") LIKE ?', ["PAR%"], `upper("NAME") LIKE $1::text ESCAPE ''`],
  ["GlobalID LIKE '{A%'", '"GlobalID" LIKE ?', ["{A%"], `"GlobalID" LIKE $1::text ESCAPE ''`],
  ['1=1', '1=1', [], '1=1'],
  ['1=0', '1=0', [], '1=0'],
  ['1 = 1 AND POP > 1', '"POP" > ?', [1], '"POP" > $1::bigint'],
  ['1=0 OR POP > 1', '"POP" > ?', [1], '"POP" > $1::bigint'],
  ['NOT 1=1', '1=0', [], '1=0'],
  ['2 > 1', '1=1', [], '1=1'],
  ['POP + 1 > 5', '("POP" + ?) > ?', [1, 5], '("POP" + $1::bigint) > $2::bigint'],
  ['POP - AREA < 0', '("POP" - "AREA") < ?', [0], '("POP" - "AREA") < $1::bigint'],
  ['POP * 2 = 10', '("POP" * ?) = ?', [2, 10], '("POP" * $1::bigint) = $2::bigint'],
  ['POP / 2 = 5', '(CAST("POP" AS REAL) / ?) = ?', [2, 5], '(CAST("POP" AS double precision) / NULLIF($1::bigint, 0)) = $2::bigint'],
  ['-POP < -5', '(-"POP") < ?', [-5], '(-"POP") < $1::bigint'],
  ['POP * 2 + AREA / 3 - 1 > 0', '((("POP" * ?) + (CAST("AREA" AS REAL) / ?)) - ?) > ?', [2, 3, 1, 0], '((("POP" * $1::bigint) + (CAST("AREA" AS double precision) / NULLIF($2::bigint, 0))) - $3::bigint) > $4::bigint'],
  ['POP * (2 + 1) = 9', '("POP" * (? + ?)) = ?', [2, 1, 9], '("POP" * ($1::bigint + $2::bigint)) = $3::bigint'],
  ["NAME || 'x' = 'ax'", '("NAME" || ?) = ?', ["x", "ax"], '("NAME" || $1::text) = $2::text'],
  ["NAME || POP = 'a1'", '("NAME" || "POP") = ?', ["a1"], '("NAME" || CAST("POP" AS text)) = $1::text'],
  ["POP = '12'", '"POP" = ?', [12], '"POP" = $1::bigint'],
  ['NAME = 5', '"NAME" = ?', ["5"], '"NAME" = $1::text'],
  ['POP = 1.5e3', '"POP" = ?', [1500], '"POP" = $1::bigint'],
  ['AREA = .5', '"AREA" = ?', [0.5], '"AREA" = $1::double precision'],
  ['BIG = 9007199254740993', '"BIG" = ?', [9007199254740993n], '"BIG" = $1::bigint', ["9007199254740993"]],
  ["CREATED > DATE '2020-01-01'", '"CREATED" > ?', [1577836800000], '"CREATED" > $1::timestamptz', ["2020-01-01T00:00:00.000Z"]],
  ["CREATED >= TIMESTAMP '2020-01-01 10:30:00'", '"CREATED" >= ?', [1577874600000], '"CREATED" >= $1::timestamptz', ["2020-01-01T10:30:00.000Z"]],
  ["CREATED < TIMESTAMP '2020-01-01 10:30:00.250'", '"CREATED" < ?', [1577874600250], '"CREATED" < $1::timestamptz', ["2020-01-01T10:30:00.250Z"]],
  ["CREATED = '2020-01-01'", '"CREATED" = ?', [1577836800000], '"CREATED" = $1::timestamptz', ["2020-01-01T00:00:00.000Z"]],
  ["CREATED > '2020-01-01 10:00:00'", '"CREATED" > ?', [1577872800000], '"CREATED" > $1::timestamptz', ["2020-01-01T10:00:00.000Z"]],
  ['CREATED > 1577836800000', '"CREATED" > ?', [1577836800000], '"CREATED" > $1::timestamptz', ["2020-01-01T00:00:00.000Z"]],
  ["CREATED BETWEEN DATE '2020-01-01' AND DATE '2020-12-31'", '"CREATED" BETWEEN ? AND ?', [1577836800000, 1609372800000], '"CREATED" BETWEEN $1::timestamptz AND $2::timestamptz', ["2020-01-01T00:00:00.000Z", "2020-12-31T00:00:00.000Z"]],
  ["CREATED IN (DATE '2020-01-01', TIMESTAMP '2020-01-02 00:00:00')", '"CREATED" IN (?, ?)', [1577836800000, 1577923200000], '"CREATED" IN ($1::timestamptz, $2::timestamptz)', ["2020-01-01T00:00:00.000Z", "2020-01-02T00:00:00.000Z"]],
  ['CREATED > CURRENT_DATE', '"CREATED" > ?', [1714953600000], '"CREATED" > $1::timestamptz', ["2024-05-06T00:00:00.000Z"]],
  ['CREATED < CURRENT_TIMESTAMP', '"CREATED" < ?', [1714979289123], '"CREATED" < $1::timestamptz', ["2024-05-06T07:08:09.123Z"]],
  ['CREATED > CURRENT_DATE - 7', '"CREATED" > ?', [1714348800000], '"CREATED" > $1::timestamptz', ["2024-04-29T00:00:00.000Z"]],
  ["CREATED > CURRENT_TIMESTAMP - INTERVAL '1' DAY", '"CREATED" > ?', [1714892889123], '"CREATED" > $1::timestamptz', ["2024-05-05T07:08:09.123Z"]],
  ["CREATED > CURRENT_TIMESTAMP - INTERVAL '10' HOUR", '"CREATED" > ?', [1714943289123], '"CREATED" > $1::timestamptz', ["2024-05-05T21:08:09.123Z"]],
  ["CREATED > CURRENT_TIMESTAMP - INTERVAL '1 10:30:00' DAY TO SECOND", '"CREATED" > ?', [1714855089123], '"CREATED" > $1::timestamptz', ["2024-05-04T20:38:09.123Z"]],
  ["CREATED - INTERVAL '30' MINUTE > DATE '2020-01-01'", '("CREATED" - ?) > ?', [1800000, 1577836800000], `("CREATED" - ($1::double precision * INTERVAL '1 millisecond')) > $2::timestamptz`, [1800000, "2020-01-01T00:00:00.000Z"]],
  ['CREATED + 1 > CURRENT_DATE', '("CREATED" + (? * 86400000)) > ?', [1, 1714953600000], `("CREATED" + ($1::bigint * INTERVAL '1 day')) > $2::timestamptz`, [1, "2024-05-06T00:00:00.000Z"]],
  ["INTERVAL '2' DAY + CREATED > CURRENT_DATE", '("CREATED" + ?) > ?', [172800000, 1714953600000], `("CREATED" + ($1::double precision * INTERVAL '1 millisecond')) > $2::timestamptz`, [172800000, "2024-05-06T00:00:00.000Z"]],
  ['EXTRACT(YEAR FROM CREATED) = 2020', `CAST(strftime('%Y', "CREATED" / 1000.0, 'unixepoch') AS INTEGER) = ?`, [2020], `EXTRACT(YEAR FROM ("CREATED") AT TIME ZONE 'UTC') = $1::bigint`],
  ['EXTRACT(MONTH FROM CREATED) = 3', `CAST(strftime('%m', "CREATED" / 1000.0, 'unixepoch') AS INTEGER) = ?`, [3], `EXTRACT(MONTH FROM ("CREATED") AT TIME ZONE 'UTC') = $1::bigint`],
  ['EXTRACT(DAY FROM CREATED) = 3', `CAST(strftime('%d', "CREATED" / 1000.0, 'unixepoch') AS INTEGER) = ?`, [3], `EXTRACT(DAY FROM ("CREATED") AT TIME ZONE 'UTC') = $1::bigint`],
  ['EXTRACT(HOUR FROM CREATED) = 10', `CAST(strftime('%H', "CREATED" / 1000.0, 'unixepoch') AS INTEGER) = ?`, [10], `EXTRACT(HOUR FROM ("CREATED") AT TIME ZONE 'UTC') = $1::bigint`],
  ['EXTRACT(MINUTE FROM CREATED) = 0', `CAST(strftime('%M', "CREATED" / 1000.0, 'unixepoch') AS INTEGER) = ?`, [0], `EXTRACT(MINUTE FROM ("CREATED") AT TIME ZONE 'UTC') = $1::bigint`],
  ['EXTRACT(SECOND FROM CREATED) = 0', `CAST(strftime('%f', "CREATED" / 1000.0, 'unixepoch') AS REAL) = ?`, [0], `EXTRACT(SECOND FROM ("CREATED") AT TIME ZONE 'UTC') = $1::bigint`],
  ["EXTRACT(YEAR FROM DATE '2020-03-04') = 2020", '1=1', [], '1=1'],
  ["CAST(CREATED AS DATE) = DATE '2020-01-01'", `CAST(unixepoch("CREATED" / 1000.0, 'unixepoch', 'start of day') * 1000 AS INTEGER) = ?`, [1577836800000], `(date_trunc('day', ("CREATED") AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') = $1::timestamptz`, ["2020-01-01T00:00:00.000Z"]],
  ["CAST(CREATED AS TIMESTAMP) > DATE '2020-01-01'", '"CREATED" > ?', [1577836800000], '"CREATED" > $1::timestamptz', ["2020-01-01T00:00:00.000Z"]],
  ["DAY_ONLY = DATE '2020-01-01'", '"DAY_ONLY" = ?', ["2020-01-01"], '"DAY_ONLY" = $1::date'],
  ["DAY_ONLY > '2020-01-01'", '"DAY_ONLY" > ?', ["2020-01-01"], '"DAY_ONLY" > $1::date'],
  ['DAY_ONLY < CURRENT_TIMESTAMP', '(unixepoch("DAY_ONLY") * 1000) < ?', [1714979289123], `(CAST("DAY_ONLY" AS timestamp) AT TIME ZONE 'UTC') < $1::timestamptz`, ["2024-05-06T07:08:09.123Z"]],
  ['DAY_ONLY = CURRENT_DATE', '"DAY_ONLY" = ?', ["2024-05-06"], '"DAY_ONLY" = $1::date'],
  ['EXTRACT(YEAR FROM DAY_ONLY) = 2020', `CAST(strftime('%Y', "DAY_ONLY") AS INTEGER) = ?`, [2020], 'EXTRACT(YEAR FROM "DAY_ONLY") = $1::bigint'],
  ["TOD > TIME '10:00:00'", '"TOD" > ?', ["10:00:00"], '"TOD" > $1::time'],
  ["TOD < '12:30'", '"TOD" < ?', ["12:30:00"], '"TOD" < $1::time'],
  ['EXTRACT(HOUR FROM TOD) = 10', `CAST(strftime('%H', "TOD") AS INTEGER) = ?`, [10], 'EXTRACT(HOUR FROM "TOD") = $1::bigint'],
  ["TSO > TIMESTAMP '2020-01-01 00:00:00'", `(unixepoch("TSO", 'subsec') * 1000) > ?`, [1577836800000], '"TSO" > $1::timestamptz', ["2020-01-01T00:00:00.000Z"]],
  ["GlobalID = '{ABCDEF01-2345-6789-ABCD-EF0123456789}'", '"GlobalID" = ?', ["{ABCDEF01-2345-6789-ABCD-EF0123456789}"], '"GlobalID" = $1'],
  ["GlobalID = 'abcdef01-2345-6789-abcd-ef0123456789'", '"GlobalID" = ?', ["{ABCDEF01-2345-6789-ABCD-EF0123456789}"], '"GlobalID" = $1'],
  ["PARENT_GUID IN ('{ABCDEF01-2345-6789-ABCD-EF0123456789}', '12345678-1234-1234-1234-123456789abc')", '"PARENT_GUID" IN (?, ?)', ["{ABCDEF01-2345-6789-ABCD-EF0123456789}", "{12345678-1234-1234-1234-123456789ABC}"], '"PARENT_GUID" IN ($1, $2)'],
  ['GlobalID = PARENT_GUID', '"GlobalID" = "PARENT_GUID"', [], '"GlobalID" = "PARENT_GUID"'],
  ["UPPER(NAME) = 'PARIS'", 'upper("NAME") = ?', ["PARIS"], 'upper("NAME") = $1::text'],
  ["LOWER(NAME) = 'paris'", 'lower("NAME") = ?', ["paris"], 'lower("NAME") = $1::text'],
  ['CHAR_LENGTH(NAME) > 3', 'length("NAME") > ?', [3], 'char_length("NAME") > $1::bigint'],
  ["CONCAT(NAME, CITY) = 'ab'", 'concat("NAME", "CITY") = ?', ["ab"], 'concat("NAME", "CITY") = $1::text'],
  ["CONCAT(NAME, ' ', POP) = 'a 1'", 'concat("NAME", ?, "POP") = ?', [" ", "a 1"], 'concat("NAME", $1::text, "POP") = $2::text'],
  ["POSITION('ar' IN NAME) = 2", 'instr("NAME", ?) = ?', ["ar", 2], 'position($1::text IN "NAME") = $2::bigint'],
  ["SUBSTRING(NAME FROM 2 FOR 3) = 'ari'", 'substr("NAME", ?, ?) = ?', [2, 3, "ari"], 'substring("NAME" FROM $1::integer FOR $2::integer) = $3::text'],
  ["SUBSTRING(NAME FROM 2) = 'aris'", 'substr("NAME", ?) = ?', [2, "aris"], 'substring("NAME" FROM $1::integer) = $2::text'],
  ["SUBSTRING(NAME, 1, 2) = 'Pa'", 'substr("NAME", ?, ?) = ?', [1, 2, "Pa"], 'substring("NAME" FROM $1::integer FOR $2::integer) = $3::text'],
  ["TRIM(NAME) = 'x'", 'trim("NAME") = ?', ["x"], 'btrim("NAME") = $1::text'],
  ["TRIM(BOTH ' ' FROM NAME) = 'x'", 'trim("NAME", ?) = ?', [" ", "x"], 'btrim("NAME", $1::text) = $2::text'],
  ["TRIM(LEADING '0' FROM NAME) = 'x'", 'ltrim("NAME", ?) = ?', ["0", "x"], 'ltrim("NAME", $1::text) = $2::text'],
  ["TRIM(TRAILING FROM NAME) = 'x'", 'rtrim("NAME") = ?', ["x"], 'rtrim("NAME") = $1::text'],
  ['ABS(POP) = 5', 'abs("POP") = ?', [5], 'abs("POP") = $1::bigint'],
  ['CEILING(AREA) = 3', 'ceiling("AREA") = ?', [3], 'ceiling("AREA") = $1::bigint'],
  ['FLOOR(AREA) = 2', 'floor("AREA") = ?', [2], 'floor("AREA") = $1::bigint'],
  ['ROUND(AREA) = 3', 'round("AREA") = ?', [3], 'round(CAST("AREA" AS numeric)) = $1::bigint'],
  ['ROUND(AREA, 1) = 2.5', 'round("AREA", ?) = ?', [1, 2.5], 'round(CAST("AREA" AS numeric), $1::integer) = $2::double precision'],
  ['TRUNCATE(AREA) = 2', 'trunc("AREA") = ?', [2], 'trunc("AREA") = $1::bigint'],
  ['TRUNCATE(AREA, 1) = 2.4', '(trunc(round("AREA" * power(10, ?), 9)) / power(10, ?)) = ?', [1, 1, 2.4], 'trunc(CAST("AREA" AS numeric), $1::integer) = $2::double precision', [1, 2.4]],
  ['MOD(POP, 2) = 0', 'mod("POP", ?) = ?', [2, 0], 'mod(CAST("POP" AS numeric), NULLIF(CAST($1::bigint AS numeric), 0)) = $2::bigint'],
  ['POWER(POP, 2) > 100', 'power("POP", ?) > ?', [2, 100], 'power("POP", $1::bigint) > $2::bigint'],
  ['SQRT(AREA) < 2', 'sqrt("AREA") < ?', [2], 'sqrt("AREA") < $1::bigint'],
  ['LOG(AREA) > 0', 'ln("AREA") > ?', [0], 'ln("AREA") > $1::bigint'],
  ['LOG10(POP) = 2', 'log10("POP") = ?', [2], 'log10("POP") = $1::bigint'],
  ['SIN(AREA) > 0 AND COS(AREA) < 1 AND TAN(AREA) <> 0', 'sin("AREA") > ? AND cos("AREA") < ? AND tan("AREA") <> ?', [0, 1, 0], 'sin("AREA") > $1::bigint AND cos("AREA") < $2::bigint AND tan("AREA") <> $3::bigint'],
  ['ASIN(RATIO) > 0 OR ACOS(RATIO) > 0 OR ATAN(RATIO) > 0', 'asin("RATIO") > ? OR acos("RATIO") > ? OR atan("RATIO") > ?', [0, 0, 0], 'asin("RATIO") > $1::bigint OR acos("RATIO") > $2::bigint OR atan("RATIO") > $3::bigint'],
  ["COALESCE(NAME, 'none') = 'none'", 'coalesce("NAME", ?) = ?', ["none", "none"], 'coalesce("NAME", $1::text) = $2::text'],
  ['COALESCE(POP, SMALL, 0) > 1', 'coalesce("POP", "SMALL", ?) > ?', [0, 1], 'coalesce("POP", "SMALL", $1::bigint) > $2::bigint'],
  ["NULLIF(NAME, '') IS NULL", 'nullif("NAME", ?) IS NULL', [""], 'nullif("NAME", $1::text) IS NULL'],
  ["CAST(POP AS VARCHAR(10)) = '5'", 'substr(CAST("POP" AS TEXT), 1, ?) = ?', [10, "5"], 'left(CAST("POP" AS text), $1::integer) = $2::text'],
  ['CAST(NAME AS INTEGER) = 5', 'CAST("NAME" AS INTEGER) = ?', [5], 'CAST("NAME" AS integer) = $1::bigint'],
  ['CAST(AREA AS INT) = 2', 'CAST("AREA" AS INTEGER) = ?', [2], 'CAST(trunc("AREA") AS integer) = $1::bigint'],
  ['CAST(POP AS FLOAT) / 2 = 2.5', '(CAST(CAST("POP" AS REAL) AS REAL) / ?) = ?', [2, 2.5], '(CAST(CAST("POP" AS double precision) AS double precision) / NULLIF($1::bigint, 0)) = $2::double precision'],
  ["CAST('5' AS INTEGER) = POP", 'CAST(? AS INTEGER) = "POP"', [5], 'CAST(trunc($1::bigint) AS integer) = "POP"'],
  ["CAST(CREATED AS VARCHAR(20)) LIKE '2020%'", `substr(strftime('%Y-%m-%d %H:%M:%S', "CREATED" / 1000.0, 'unixepoch'), 1, ?) LIKE ?`, [20, "2020%"], `left(to_char(("CREATED") AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), $1::integer) LIKE $2::text ESCAPE ''`],
  ['NAME = CURRENT_USER', '"NAME" = ?', ["bob"], '"NAME" = $1::text'],
  ["N'abc' = NAME", '? = "NAME"', ["abc"], '$1::text = "NAME"'],
  ["upper(name) = 'X'", 'upper("NAME") = ?', ["X"], 'upper("NAME") = $1::text'],
  ["NAME = 'a;b'", '"NAME" = ?', ["a;b"], '"NAME" = $1::text'],
  ["NAME = 'x -- y'", '"NAME" = ?', ["x -- y"], '"NAME" = $1::text'],
  ["NAME = '/* z */'", '"NAME" = ?', ["/* z */"], '"NAME" = $1::text'],
  ["NAME = 'Robert''); DROP TABLE t;--'", '"NAME" = ?', ["Robert'); DROP TABLE t;--"], '"NAME" = $1::text'],
  [`"Quoted Name" LIKE '%"%'`, '"Quoted Name" LIKE ?', ["%\"%"], `"Quoted Name" LIKE $1::text ESCAPE ''`],
  ["NAME = 'Zürich'", '"NAME" = ?', ["Zürich"], '"NAME" = $1::text'],
  ['SMALL = 1 AND RATIO > 0.5', '"SMALL" = ? AND "RATIO" > ?', [1, 0.5], '"SMALL" = $1::bigint AND "RATIO" > $2::double precision'],
  ['OBJECTID IN (1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20)', '"OBJECTID" IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], '"OBJECTID" IN ($1::bigint, $2::bigint, $3::bigint, $4::bigint, $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::bigint, $13::bigint, $14::bigint, $15::bigint, $16::bigint, $17::bigint, $18::bigint, $19::bigint, $20::bigint)'],
  [`POSITION('a' IN "NAME") > 0`, 'instr("NAME", ?) > ?', ["a", 0], 'position($1::text IN "NAME") > $2::bigint'],
];

/** where → a fragment of the client-facing error message (both dialects). */
const INVALID: Array<[where: string, message: string]> = [
  ['FOO = 1', 'Invalid field: FOO'],
  ['foo > 1 AND POP = 1', 'Invalid field: foo'],
  ['"FOO" = 1', 'Invalid field: FOO'],
  ['POP = FOO', 'Invalid field: FOO'],
  ["UPPER(FOO) = 'x'", 'Invalid field: FOO'],
  ['POP IN (1, FOO)', 'Invalid field: FOO'],
  [`"NAME " = 'x'`, 'Invalid field: NAME '],
  ['1=1; DROP TABLE features', 'Multiple statements are not allowed (found ;)'],
  ['POP = 1;', 'Multiple statements are not allowed (found ;)'],
  [';', 'Multiple statements are not allowed (found ;)'],
  ['POP = 1 -- comment', 'Comments are not allowed'],
  ['POP = 1 /* c */', 'Comments are not allowed'],
  ['/**/POP = 1', 'Comments are not allowed'],
  ['POP--1 = 1', 'Comments are not allowed'],
  ['POP IN (SELECT POP FROM t)', 'Subqueries are not allowed'],
  ['EXISTS (SELECT 1)', 'Subqueries are not allowed'],
  ['POP = (SELECT MAX(POP) FROM t)', 'Subqueries are not allowed'],
  ['POP IN ((SELECT 1))', 'Subqueries are not allowed'],
  ['1 = 1 OR (SELECT 1) = 1', 'Subqueries are not allowed'],
  ['t.POP = 1', 'Qualified names (table.field) are not allowed'],
  ['main.t.POP = 1', 'Qualified names (table.field) are not allowed'],
  ['POP = t.x', 'Qualified names (table.field) are not allowed'],
  ['"t"."POP" = 1', 'Qualified names (table.field) are not allowed'],
  ['COUNT(*) > 1', 'Aggregate functions are not allowed in a where clause: COUNT'],
  ['SUM(POP) > 1', 'Aggregate functions are not allowed in a where clause: SUM'],
  ['AVG(POP) > 1', 'Aggregate functions are not allowed in a where clause: AVG'],
  ['MIN(POP) > 1', 'Aggregate functions are not allowed in a where clause: MIN'],
  ['MAX(POP) > 1', 'Aggregate functions are not allowed in a where clause: MAX'],
  ['NOW() > CREATED', 'Function not allowed: NOW'],
  ['LENGTH(NAME) > 1', 'Function not allowed: LENGTH'],
  ['SLEEP(10) = 0', 'Function not allowed: SLEEP'],
  ['pg_sleep(10) IS NULL', 'Function not allowed: PG_SLEEP'],
  ['"pg_sleep"(10) IS NULL', 'Quoted function names are not allowed'],
  ["load_extension('x') = 1", 'Function not allowed: LOAD_EXTENSION'],
  ['RANDOM() > 0.5', 'Function not allowed: RANDOM'],
  ["DATE('now') = CREATED", 'Function not allowed: DATE'],
  ['ST_Intersects(SHAPE, SHAPE) = 1', 'Function not allowed: ST_INTERSECTS'],
  ['ROW(POP, 1) = ROW(1, 1)', 'Function not allowed: ROW'],
  ['POP = $1', "Invalid character '$'"],
  ['POP = ?', "Invalid character '?'"],
  ['POP = :x', "Invalid character ':'"],
  ['POP = @x', "Invalid character '@'"],
  ["POP::text = '1'", "Invalid character ':'"],
  ['[POP] = 1', "Invalid character '['"],
  ['`POP` = 1', "Invalid character '`'"],
  ['POP = 1 \\', `Invalid character '\\'`],
  ['POP % 2 = 0', "Invalid character '%'"],
  ['POP & 1 = 1', "Invalid character '&'"],
  ['POP | 1 = 1', "Invalid character '|'"],
  ['POP ^ 2 = 4', "Invalid character '^'"],
  ["NAME ~ 'x'", "Invalid character '~'"],
  ['POP # 1', "Invalid character '#'"],
  ['POP = {1}', "Invalid character '{'"],
  ['NAME = "x"', 'Invalid field: x'],
  ["NAME = 'unterminated", 'Unterminated string literal'],
  [`"NAME = 'x'`, 'Unterminated quoted identifier'],
  ['POP = 1)', "Unbalanced parentheses: unexpected ')'"],
  ['(POP = 1', "Unbalanced parentheses: missing ')'"],
  ['POP = 1) OR (1=1', "Unbalanced parentheses: unexpected ')'"],
  ['POP =', 'Syntax error: unexpected end of where clause'],
  ['POP 5', "Syntax error near '5'"],
  ['POP = = 5', "Syntax error near '='"],
  ['AND POP = 1', "Syntax error near 'POP'"],
  ['POP = 1 AND', 'Syntax error: unexpected end of where clause'],
  ['POP IN ()', "Syntax error near ')'"],
  ['POP BETWEEN 1', 'Syntax error: unexpected end of where clause'],
  ['NOT', 'Syntax error: unexpected end of where clause'],
  ['POP', 'Expected a condition (such as FIELD = value) but found a value'],
  ['5', 'Expected a condition (such as FIELD = value) but found a value'],
  ['UPPER(NAME)', 'Expected a condition (such as FIELD = value) but found a value'],
  ['CURRENT_DATE', 'Expected a condition (such as FIELD = value) but found a value'],
  ['POP = 1 ORDER BY POP', "Syntax error near 'ORDER'"],
  ['POP = 1 LIMIT 1', "Syntax error near 'LIMIT'"],
  ['POP = 1 UNION SELECT * FROM users', "Syntax error near 'UNION'"],
  ['POP = 1 GROUP BY POP', "Syntax error near 'GROUP'"],
  ['POP > 1 INTERSECT SELECT 1', "Syntax error near 'INTERSECT'"],
  ['CASE WHEN POP > 1 THEN 1 ELSE 0 END = 1', 'CASE expressions are not supported'],
  ['POP = TRUE', 'Boolean literals (TRUE/FALSE) are not supported'],
  ["NAME ILIKE 'x'", 'Operator not allowed: ILIKE'],
  ["NAME SIMILAR TO 'x'", 'Operator not allowed: SIMILAR TO'],
  ['POP IS TRUE', 'Only IS NULL and IS NOT NULL are supported'],
  ['POP IS DISTINCT FROM 1', 'Only IS NULL and IS NOT NULL are supported'],
  ["NAME = 'a' 'b'", "Syntax error near ''b''"],
  [`NAME COLLATE "C" = 'x'`, "Syntax error near 'COLLATE'"],
  ['(POP = 1) = (POP = 2)', 'A condition cannot be used as a value'],
  ['POP = 1 = 1', 'A condition cannot be used as a value'],
  ["NAME LIKE 'x' ESCAPE 'ab'", 'ESCAPE must be a single character string'],
  ["NAME LIKE 'x' ESCAPE ''", 'ESCAPE must be a single character string'],
  ["POP LIKE '1%'", 'LIKE needs a string value, not number (field POP)'],
  ["CREATED LIKE '2020%'", 'LIKE needs a string value, not date (field CREATED)'],
  ["POP = 'abc'", "Invalid number value 'abc'"],
  ["POP IN (1, 'x')", "Invalid number value 'x'"],
  ["POP BETWEEN 'a' AND 'b'", "Invalid number value 'a'"],
  ["CREATED = 'yesterday'", "Invalid date value 'yesterday'"],
  ["CREATED > DATE '2020-13-01'", "Invalid DATE literal '2020-13-01'"],
  ["CREATED > DATE '2020-02-30'", "Invalid DATE literal '2020-02-30'"],
  ["CREATED > DATE '01/02/2020'", "Invalid DATE literal '01/02/2020'"],
  ["CREATED > TIMESTAMP 'noon'", "Invalid TIMESTAMP literal 'noon'"],
  ["TOD > TIME '25:00:00'", "Invalid TIME literal '25:00:00'"],
  ["TOD = 'noon'", "Invalid time-only value 'noon'"],
  ["DAY_ONLY = 'someday'", "Invalid date-only value 'someday'"],
  ["GlobalID = 'not-a-guid'", "Invalid GUID value 'not-a-guid'"],
  ['SHAPE = 1', 'Field SHAPE can only be used with IS NULL or IS NOT NULL'],
  ["SHAPE LIKE 'x'", 'Field SHAPE can only be used with IS NULL or IS NOT NULL'],
  ['SHAPE IS NULL OR SHAPE = NAME', 'Field SHAPE can only be used with IS NULL or IS NOT NULL'],
  ['PHOTO IS NULL', 'Field PHOTO cannot be used'],
  ["CREATED > INTERVAL '1' DAY", 'An INTERVAL can only be added to or subtracted from a date'],
  ["CREATED > CURRENT_DATE - INTERVAL '1' MONTH", "Unsupported INTERVAL unit 'MONTH'"],
  ["CREATED > CURRENT_DATE - INTERVAL '1' YEAR", "Unsupported INTERVAL unit 'YEAR'"],
  ['CREATED > CURRENT_DATE - INTERVAL 1 DAY', "INTERVAL must be written INTERVAL '<value>' DAY|HOUR|MINUTE|SECOND"],
  ["CREATED > CURRENT_DATE - INTERVAL '1:00' DAY", "Invalid INTERVAL '1:00' DAY"],
  ["CREATED > CURRENT_DATE - INTERVAL '1 25:00:00' DAY TO SECOND", "Invalid INTERVAL '1 25:00:00' DAY TO SECOND"],
  ['CREATED * 2 > CURRENT_DATE', 'Unsupported date arithmetic: date * number'],
  ['CREATED - CREATED > 1', 'Unsupported date arithmetic: date - date'],
  ['NAME + 1 = 2', 'Operator + expects a number value, not string'],
  ['POP = NAME', 'Type mismatch: cannot compare number with string'],
  ['CREATED = POP', 'Type mismatch: cannot compare date with number'],
  ['POP > CURRENT_DATE', 'Type mismatch: cannot compare number with date'],
  ['COALESCE(POP, NAME) = 1', 'Type mismatch: cannot compare number with string'],
  ['NULLIF(CREATED, POP) IS NULL', 'Type mismatch: cannot compare date with number'],
  ['EXTRACT(DOW FROM CREATED) = 1', 'Unsupported EXTRACT field: DOW'],
  ['EXTRACT(YEAR FROM POP) = 1', 'Cannot EXTRACT YEAR from a number value'],
  ['EXTRACT(YEAR FROM TOD) = 1', 'Cannot EXTRACT YEAR from a time-only value'],
  ['CAST(POP AS BLOB) = 1', "Syntax error near ')'"],
  ['CAST(CREATED AS INTEGER) = 1', 'Cannot CAST a date value to INTEGER'],
  ['CAST(POP AS NUMERIC(10,2)) = 1', 'Unsupported CAST type: NUMERIC'],
  ["UPPER(POP) = 'X'", 'UPPER expects a string value, not number'],
  ["UPPER(NAME, NAME) = 'X'", 'UPPER expects 1 argument'],
  ['MOD(POP) = 1', 'MOD expects 2 arguments'],
  ["CONCAT(NAME) = 'x'", 'CONCAT expects at least 2 arguments'],
  ["SUBSTRING(NAME, 1.5) = 'x'", 'SUBSTRING argument 2 must be an integer'],
  ['ROUND(AREA, 0.5) = 1', 'ROUND argument 2 must be an integer'],
  ["-NAME = 'x'", 'Unary minus expects a number value, not string'],
  ["NAME || CREATED = 'x'", '|| expects string or number values, not date'],
  ["TRIM(POP) = '1'", 'TRIM expects a string value, not number'],
  ["CHAR_LENGTH(NAME) = 'x'", "Invalid number value 'x'"],
  [`E'\\x41' = NAME`, "Unsupported string literal prefix 'E'"],
  ["X'41' = NAME", "Unsupported string literal prefix 'X'"],
  ["B'1' = NAME", "Unsupported string literal prefix 'B'"],
  ['POP = 0x10', "Invalid number near '0x10'"],
  ['POP = 1abc', "Invalid number near '1abc'"],
  ['POP = 1.2.3', "Invalid number near '1.2.3'"],
  ['POP = 1e999', "Invalid number '1e999'"],
  ['CREATED > CURRENT_TIMESTAMP(3)', 'Function not allowed: CURRENT_TIMESTAMP'],
  ['NOT (POP = 1) ; DROP TABLE t', 'Multiple statements are not allowed (found ;)'],
];

describe('compileWhere: valid clauses', () => {
  it('has a large table', () => expect(VALID.length).toBeGreaterThanOrEqual(100));

  it.each(VALID)('%s (sqlite)', (where, sql, params) => {
    const compiled = compileWhere(where, { ...OPTIONS, dialect: 'sqlite' });
    expect({ sql: compiled.sql, params: compiled.params }).toEqual({ sql, params });
  });

  it.each(VALID)('%s (postgres)', (where, _sqlite, sqliteParams, sql, params = sqliteParams) => {
    const compiled = compileWhere(where, { ...OPTIONS, dialect: 'postgres' });
    expect({ sql: compiled.sql, params: compiled.params }).toEqual({ sql, params });
  });

  it.each([undefined, null, '', '   ', '1=1', ' 1 = 1 '])('treats %j as 1=1', (where) => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      expect(compileWhere(where, { ...OPTIONS, dialect })).toEqual({ sql: '1=1', params: [], fields: [] });
    }
  });

  it('reports the canonical names of the fields used, once, in order', () => {
    const compiled = compileWhere("pop > 1 AND name = 'x' OR POP < 0 AND \"order\" = 2", { ...OPTIONS, dialect: 'sqlite' });
    expect(compiled.fields).toEqual(['POP', 'NAME', 'ORDER']);
  });

  it('uses quoteColumn for every column', () => {
    const quoteColumn = (name: string): string => `t.[${name}]`;
    const compiled = compileWhere("NAME = 'x' AND EXTRACT(YEAR FROM CREATED) = 2020", { ...OPTIONS, dialect: 'sqlite', quoteColumn });
    expect(compiled.sql).toBe("t.[NAME] = ? AND CAST(strftime('%Y', t.[CREATED] / 1000.0, 'unixepoch') AS INTEGER) = ?");
  });

  it('compiles an IN list of 10 000 values without parsing each one', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const compiled = compileWhere(`OBJECTID IN (${ids.join(', ')})`, { ...OPTIONS, dialect: 'postgres' });
    expect(compiled.params).toEqual(ids);
    expect(compiled.sql.startsWith('"OBJECTID" IN ($1::bigint, $2::bigint')).toBe(true);
    expect(compiled.sql.endsWith('$10000::bigint)')).toBe(true);
  });

  it('never copies client values into the SQL text', () => {
    const sentinel = 'zq_SENTINEL_qz';
    const clauses = [
      `NAME = '${sentinel}'`, `NAME LIKE '%${sentinel}%'`, `NAME IN ('${sentinel}', 'b')`, `UPPER(NAME) = '${sentinel}'`,
      `TRIM(BOTH '${sentinel}' FROM NAME) = 'x'`, `CONCAT(NAME, '${sentinel}') = 'x'`, `NAME || '${sentinel}' = 'x'`,
      `COALESCE(NAME, '${sentinel}') = 'x'`, `POSITION('${sentinel}' IN NAME) = 1`, `NAME = 'a' OR CITY = '${sentinel}'`,
    ];
    for (const dialect of ['sqlite', 'postgres'] as const) {
      for (const where of clauses) {
        const compiled = compileWhere(where, { ...OPTIONS, dialect });
        expect(compiled.sql).not.toContain(sentinel);
        expect(compiled.params.some((p) => typeof p === 'string' && p.includes(sentinel))).toBe(true);
      }
    }
  });

  it('binds CURRENT_DATE / CURRENT_TIMESTAMP from the clock at call time by default', () => {
    const before = Date.now();
    const { params } = compileWhere('CREATED < CURRENT_TIMESTAMP', { fields: FIELDS, dialect: 'sqlite' });
    expect(params[0]).toBeGreaterThanOrEqual(before);
    expect(params[0]).toBeLessThanOrEqual(Date.now());
  });

  it('compiles the same clause shape with fresh literals each time (the speed is in bench:hot-paths)', () => {
    const where = "POP > 1000 AND (NAME LIKE 'A%' OR CITY IN ('FR', 'DE')) AND CREATED >= DATE '2020-01-01'";
    const compile = (i: number): { params: unknown[] } => compileWhere(where.replace('1000', String(i)), { ...OPTIONS, dialect: 'postgres' });
    expect(compile(1).params[0]).toBe(1);
    expect(compile(2).params[0]).toBe(2);
  });
});

describe('compileWhere: invalid and hostile clauses', () => {
  it('has a large table', () => expect(INVALID.length).toBeGreaterThanOrEqual(100));

  it.each(INVALID)('refuses %s', (where, message) => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const attempt = (): unknown => compileWhere(where, { ...OPTIONS, dialect });
      expect(attempt).toThrow(WhereClauseError);
      expect(attempt).toThrow(message);
    }
  });

  it.each([
    ['CURRENT_USER without a user', 'NAME = CURRENT_USER', 'CURRENT_USER is not available'],
    ['65 levels of parentheses', `${'('.repeat(65)}POP = 1${')'.repeat(65)}`, 'nested too deeply'],
    ['a 200 kB literal', `NAME = '${'x'.repeat(200_001)}'`, 'Where clause is too long'],
    ['31 000 values', `POP IN (${'1,'.repeat(31_000)}1)`, 'Where clause has too many values'],
    ['5 000 chained additions', `POP${' + 1'.repeat(5000)} > 1`, 'Where clause is too complex'],
  ])('refuses %s', (_label, where, message) => {
    expect(() => compileWhere(where, { fields: FIELDS, dialect: 'sqlite' })).toThrow(message);
  });

  it('refuses a where that is not text', () => {
    expect(() => compileWhere(5 as unknown as string, { ...OPTIONS, dialect: 'sqlite' })).toThrow('Where clause must be text');
  });

  it('names the unknown field exactly as the client wrote it', () => {
    expect(() => compileWhere('Pop = 1 AND popp = 2', { ...OPTIONS, dialect: 'sqlite' })).toThrow(/^Invalid field: popp$/);
  });
});

describe('compileWhere: havingClause mode', () => {
  const having = { ...OPTIONS, having: { groupFields: ['NAME'] } };
  it('compiles aggregates of fields and bare group-by fields in both dialects', () => {
    expect(compileWhere("COUNT(*) > 5 AND name <> 'x'", { ...having, dialect: 'sqlite' })).toMatchObject({ sql: 'count(*) > ? AND "NAME" <> ?', params: [5, 'x'] });
    expect(compileWhere('SUM(POP) >= 10 OR STDDEV(POP) < 2', { ...having, dialect: 'sqlite' }).sql).toBe('sum("POP") >= ? OR StdDev_Samp("POP") < ?');
    expect(compileWhere('SUM(POP) >= 10 OR VAR(POP * 2) < 2', { ...having, dialect: 'postgres' }).sql).toBe('sum("POP") >= $1::bigint OR var_samp(("POP" * $2::bigint)) < $3::bigint');
    expect(compileWhere('COUNT(DISTINCT POP) = 2', { ...having, dialect: 'sqlite' }).sql).toBe('count(DISTINCT "POP") = ?');
    expect(compileWhere("MAX(NAME) > 'm'", { ...having, dialect: 'postgres' }).sql).toBe('max("NAME") > $1::text');
  });

  it.each([
    ['POP > 1', 'Field POP must be inside an aggregate function or among groupByFieldsForStatistics'],
    ['SUM(COUNT(*)) > 1', 'Aggregate functions cannot be nested: COUNT'],
    ['SUM(NAME) > 1', 'SUM needs a number, not a string'],
    ['SUM(*) > 1', 'Unsupported column reference'],
    ['STRING_AGG(NAME) > 1', 'Aggregate function not allowed: STRING_AGG'],
    ['COUNT(*) OVER () > 1', 'Window functions are not allowed'],
    ['COUNT(*) > (SELECT 1)', 'Subqueries are not allowed'],
    ['SUM(NOPE) > 1', 'Invalid field: NOPE'],
  ])('refuses %s', (clause, message) => {
    expect(() => compileWhere(clause, { ...having, dialect: 'sqlite' })).toThrow(new WhereClauseError(message));
  });
});
