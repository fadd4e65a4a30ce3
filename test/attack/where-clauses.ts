/**
 * Where clauses for the fuzzing suite: valid ones generated with a JavaScript evaluator (the
 * oracle), hostile ones written by hand, and mutations of valid ones.
 */
export type Row = Record<string, unknown>;
export interface Clause {
  text: string;
  /** Which grid rows the clause selects; absent for hostile and mutated clauses. */
  test?: (row: Row) => boolean;
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};
const OPS = Object.keys(COMPARE);

function likeRegex(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'is');
}

/** One comparison on the grid layer's fields (NAME p<x>_<y>, POP 10y+x, CAT A/B, RATIO x/4, WHEN 2020-01-(1+y)). */
function atom(rand: Rand): Clause {
  const num = (row: Row, f: string) => Number(row[f]);
  switch (int(rand, 0, 11)) {
    case 0: {
      const op = pick(rand, OPS);
      const n = int(rand, -5, 105);
      return { text: `POP ${op} ${n}`, test: (r) => COMPARE[op]!(num(r, 'POP'), n) };
    }
    case 1: {
      const a = int(rand, -5, 100);
      const b = a + int(rand, 0, 40);
      const not = rand() < 0.3;
      return { text: `POP ${not ? 'NOT ' : ''}BETWEEN ${a} AND ${b}`, test: (r) => (num(r, 'POP') >= a && num(r, 'POP') <= b) !== not };
    }
    case 2: {
      const list = Array.from({ length: int(rand, 1, 12) }, () => int(rand, 0, 99));
      const not = rand() < 0.3;
      return { text: `POP ${not ? 'NOT ' : ''}IN (${list.join(', ')})`, test: (r) => list.includes(num(r, 'POP')) !== not };
    }
    case 3: {
      const op = pick(rand, ['=', '<>']);
      const value = pick(rand, ['A', 'B', 'C']);
      return { text: `CAT ${op} '${value}'`, test: (r) => (r.CAT === value) === (op === '=') };
    }
    case 4: {
      const pattern = Array.from({ length: int(rand, 1, 5) }, () => pick(rand, ['p', 'P', '%', '_', String(int(rand, 0, 9)), '_'])).join('');
      const not = rand() < 0.2;
      return { text: `NAME ${not ? 'NOT ' : ''}LIKE '${pattern}'`, test: (r) => likeRegex(pattern).test(String(r.NAME)) !== not };
    }
    case 5: {
      const op = pick(rand, OPS);
      const x = int(rand, -4, 40) / 8;
      return { text: `RATIO ${op} ${x}`, test: (r) => COMPARE[op]!(num(r, 'RATIO'), x) };
    }
    case 6: {
      const value = pick(rand, ['A', 'B', 'a']);
      return { text: `UPPER(CAT) = '${value}'`, test: (r) => String(r.CAT).toUpperCase() === value };
    }
    case 7: {
      const op = pick(rand, OPS);
      const k = int(rand, -10, 10);
      const n = int(rand, -5, 210);
      return { text: `POP * 2 + ${k} ${op} ${n}`, test: (r) => COMPARE[op]!(num(r, 'POP') * 2 + k, n) };
    }
    case 8: {
      const not = rand() < 0.5;
      return { text: `NAME IS ${not ? 'NOT ' : ''}NULL`, test: () => not };
    }
    case 9: {
      const m = int(rand, 2, 9);
      const k = int(rand, 0, m - 1);
      return { text: `MOD(POP, ${m}) = ${k}`, test: (r) => num(r, 'POP') % m === k };
    }
    case 10: {
      const n = int(rand, 3, 6);
      return { text: `CHAR_LENGTH(NAME) = ${n}`, test: (r) => String(r.NAME).length === n };
    }
    default: {
      const op = pick(rand, OPS);
      const day = int(rand, 0, 11);
      const when = Date.UTC(2020, 0, 1 + day);
      const date = new Date(when).toISOString().slice(0, 10);
      return { text: `WHEN ${op} DATE '${date}'`, test: (r) => COMPARE[op]!(num(r, 'WHEN'), when) };
    }
  }
}

/** A valid clause: atoms joined by AND/OR/NOT up to `depth` levels, with its evaluator. */
export function validClause(rand: Rand, depth = 3): Clause {
  if (depth === 0 || rand() < 0.35) return atom(rand);
  if (rand() < 0.15) {
    const inner = validClause(rand, depth - 1);
    return { text: `NOT (${inner.text})`, test: (r) => !inner.test!(r) };
  }
  const op = rand() < 0.5 ? 'AND' : 'OR';
  const parts = Array.from({ length: int(rand, 2, 4) }, () => validClause(rand, depth - 1));
  return {
    text: parts.map((p) => `(${p.text})`).join(` ${op} `),
    test: op === 'AND' ? (r) => parts.every((p) => p.test!(r)) : (r) => parts.some((p) => p.test!(r)),
  };
}

/**
 * Clauses an attacker sends: statement stacking, comments, subqueries, engine functions, quoting
 * tricks, oversized values. `refuse`: our grammar has no such construct, so accepting it would
 * mean it reached the database.
 */
export const HOSTILE: Array<{ text: string; refuse: boolean }> = [
  ...[
    '1=1; DROP TABLE features',
    "POP = 1; DELETE FROM catalog_items",
    '1=1 --',
    'POP = 1 -- AND POP = 2',
    '1=1 /* comment */',
    'POP = 1 UNION SELECT * FROM sqlite_master',
    'POP IN (SELECT OBJECTID FROM features)',
    'EXISTS (SELECT 1)',
    "load_extension('/tmp/x.so') IS NULL",
    "sqlite_version() = '3'",
    'randomblob(1000000000) IS NOT NULL',
    'zeroblob(1000000000) IS NOT NULL',
    "printf('%s', NAME) = 'x'",
    'POP = (SELECT 1)',
    "NAME = '' || (SELECT name FROM sqlite_master LIMIT 1)",
    'PRAGMA writable_schema = 1',
    "ATTACH DATABASE '/tmp/x' AS x",
    'OBJECTID = 1 AND sleep(5)',
    'pg_sleep(5) IS NULL',
    'POP = 1 ORDER BY 1',
    'POP = 1 LIMIT 1',
    'POP = 1 GROUP BY POP',
    'sqlite_master.name IS NULL',
    'main.features.POP = 1',
    'POP = ?',
    'POP = :p',
    'POP = $1',
    'POP = @p',
    'NAME GLOB \'*\'',
    'NAME REGEXP \'.*\'',
    'NAME MATCH \'x\'',
    "CAST(POP AS BLOB) IS NULL",
    'COUNT(*) > 0',
    'rowid > 0',
    '_rowid_ > 0',
    "json_extract(NAME, '$') IS NULL",
    "NAME = char(39)",
    'NAME = x\'41\'',
    "hex(NAME) = '41'",
    'changes() = 0',
    'last_insert_rowid() > 0',
    "NAME = 'a' COLLATE NOCASE",
    'CASE WHEN 1=1 THEN 1 END = 1',
    '(SELECT 1) = 1',
    'POP IN (1, (SELECT 2))',
    'ST_GeomFromText(\'POINT(0 0)\') IS NULL',
    'POP = 1e999',
  ].map((text) => ({ text, refuse: true })),
  ...[
    "NAME = 'a'' OR ''1''=''1'",
    "NAME = 'p1_1' OR '1'='1'",
    'NAME = "p1_1"',
    '[NAME] = \'p1_1\'',
    "NAME = N'p1_1'",
    `NAME LIKE '${'%'.repeat(5000)}'`,
    `NAME = '${'x'.repeat(100_000)}'`,
    `POP IN (${Array.from({ length: 20_000 }, (_, i) => i).join(',')})`,
    `${'('.repeat(70)}POP = 1${')'.repeat(70)}`,
    `${'NOT '.repeat(500)}POP = 1`,
    `POP = ${'-'.repeat(300)}1`,
    `NAME = ${Array.from({ length: 300 }, () => "'a'").join(' || ')}`,
    "NAME = '\u0000'",
    "NAME = '\\' OR 1=1 --'",
    "NAME LIKE 'p%' ESCAPE ''",
    "NAME LIKE 'p%' ESCAPE 'ab'",
    'POP = 9223372036854775808',
    'POP / 0 = 1',
    "WHEN > DATE 'not a date'",
    "WHEN > TIMESTAMP '2020-01-01 00:00:00' + INTERVAL '1' DAY",
    'GlobalID IS NOT NULL',
    'Shape IS NOT NULL',
    '1=1',
    '',
    '   ',
    'POP',
    'POP =',
    '= 1',
    "'abc'",
    'NULL',
    'TRUE',
  ].map((text) => ({ text, refuse: false })),
];

const NOISE = ["'", '"', '(', ')', ';', ',', '-', '--', '/*', '*/', '%', '_', '\\', '[', ']', ' OR ', ' AND ', ' SELECT ', ' NOT ', '||', '0x', 'e9', '\u0000', '\u202e', ' UNION '];

/** A valid clause with one to three random edits (insert noise, delete, duplicate a slice). */
export function mutatedClause(rand: Rand): Clause {
  let text = validClause(rand, 2).text;
  for (let i = int(rand, 1, 3); i > 0; i--) {
    const at = int(rand, 0, text.length);
    const kind = int(rand, 0, 2);
    if (kind === 0) text = text.slice(0, at) + pick(rand, NOISE) + text.slice(at);
    else if (kind === 1) text = text.slice(0, at) + text.slice(at + int(rand, 1, 4));
    else text = text.slice(0, at) + text.slice(at, at + int(rand, 1, 12)).repeat(2) + text.slice(at + 12);
  }
  return { text };
}
