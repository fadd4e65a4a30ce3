// One read thread of SqliteReadPool (read-pool.ts): plain JavaScript, so it starts without a
// TypeScript loader. Keeps a read-only SpatiaLite connection per file and runs the SELECTs the
// main thread built, so a long query no longer holds the event loop.
import Database from 'better-sqlite3';
import { Buffer } from 'node:buffer';
import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const MAX_OPEN = 32;
const MAX_STATEMENTS = 200;
/** file -> { db, ino, statements }; the Map's order is least recently used first. */
const open = new Map();

function connection(file) {
  // A dataset dropped and created again under the same name is a new file: reopen it.
  const ino = statSync(file).ino;
  let entry = open.get(file);
  if (entry && entry.ino !== ino) {
    entry.db.close();
    entry = undefined;
  }
  if (!entry) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    db.loadExtension('mod_spatialite');
    entry = { db, ino, statements: new Map() };
  }
  open.delete(file);
  open.set(file, entry);
  if (open.size > MAX_OPEN) {
    const [oldest, stale] = open.entries().next().value;
    stale.db.close();
    open.delete(oldest);
  }
  return entry;
}

function statement(entry, sql) {
  let prepared = entry.statements.get(sql);
  if (prepared) entry.statements.delete(sql);
  else prepared = entry.db.prepare(sql).raw(true);
  entry.statements.set(sql, prepared);
  if (entry.statements.size > MAX_STATEMENTS) entry.statements.delete(entry.statements.keys().next().value);
  return prepared;
}

// Buffers arrive as plain Uint8Arrays; better-sqlite3 binds only Buffers as BLOBs.
const bound = (params) => params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));

parentPort.on('message', ({ id, kind, file, sql, params }) => {
  try {
    if (kind === 'forget') {
      open.get(file)?.db.close();
      open.delete(file);
      parentPort.postMessage({ id });
      return;
    }
    const prepared = statement(connection(file), sql);
    const result = kind === 'all' ? prepared.all(...bound(params)) : prepared.get(...bound(params));
    parentPort.postMessage({ id, result });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err?.message ?? String(err), code: err?.code } });
  }
});
