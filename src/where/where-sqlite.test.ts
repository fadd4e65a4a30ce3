import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWhere, WhereClauseError } from './index.js';
import { ALL, createRandom, EXECUTED, FIELDS, generateClause, HOSTILE, NOW, ROWS } from './where-cases.fixture.js';

// Runs compiled clauses against a real SQLite table laid out as the SpatiaLite store keeps
// features: dates as INTEGER epoch ms, DateOnly/TimeOnly/TimestampOffset as ISO text,
// GlobalID/GUID as {UPPER} text.
function createTable(db: Database.Database): void {
  db.exec(`CREATE TABLE features (
    OBJECTID INTEGER PRIMARY KEY, NAME TEXT, CITY TEXT, POP INTEGER, SMALL INTEGER, BIG INTEGER, AREA REAL,
    RATIO REAL, CREATED INTEGER, DAY_ONLY TEXT, TOD TEXT, TSO TEXT, GlobalID TEXT, PARENT_GUID TEXT,
    "ORDER" INTEGER, "Quoted Name" TEXT, SHAPE BLOB)`);
  const insert = db.prepare(`INSERT INTO features VALUES (${ROWS[0].map(() => '?').join(', ')})`);
  for (const row of ROWS) insert.run(...row);
}

function selectIds(db: Database.Database, where: string, native = false): number[] {
  const compiled = native ? { sql: where, params: [] } : compileWhere(where, { fields: FIELDS, dialect: 'sqlite', now: NOW, currentUser: 'Berlin' });
  const rows = db.prepare(`SELECT OBJECTID FROM features WHERE ${compiled.sql} ORDER BY OBJECTID`).all(...compiled.params) as Array<{ OBJECTID: number }>;
  return rows.map((row) => row.OBJECTID);
}

describe.each([
  ['SQLite', false],
  ['SQLite with SpatiaLite loaded', true],
])('compiled where clauses on %s', (_name, spatialite) => {
  let db: Database.Database;

  beforeAll(() => {
    db = new Database(':memory:');
    if (spatialite) db.loadExtension('mod_spatialite');
    createTable(db);
  });
  afterAll(() => db.close());

  it('covers a representative set of clauses', () => expect(EXECUTED.length).toBeGreaterThanOrEqual(30));

  const labelled = EXECUTED.map(([where, ids]) => [where.length > 80 ? `${where.slice(0, 77)}...` : where, where, ids] as const);
  it.each(labelled)('%s', (_label, where, ids) => {
    expect(selectIds(db, where)).toEqual(ids);
  });

  it('agrees with SQLite itself on 300 random AND/OR/NOT clauses', () => {
    const random = createRandom(20240506);
    for (let i = 0; i < 300; i++) {
      const where = generateClause(random, 4);
      expect(selectIds(db, where), where).toEqual(selectIds(db, where, true));
    }
  });

  it('refuses hostile clauses and leaves the table intact', () => {
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    for (const where of HOSTILE) {
      expect(() => selectIds(db, where), where).toThrow(WhereClauseError);
    }
    expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(selectIds(db, '1=1')).toEqual(ALL);
  });

  it('runs hostile-looking values as plain values', () => {
    const values = ["x'; DROP TABLE features; --", 'Robert"); DELETE FROM features;--', '%; ATTACH', "\\'; --"];
    for (const value of values) {
      expect(selectIds(db, `NAME = '${value.replace(/'/g, "''")}' OR CITY LIKE '${value.replace(/'/g, "''")}'`)).toEqual([]);
    }
    expect(selectIds(db, '1=1')).toEqual(ALL);
  });
});
