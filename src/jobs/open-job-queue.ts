import path from 'node:path';
import type { Config } from '../config.js';
import type { Stores } from '../store/index.js';
import type { JobQueue } from '../store/job-queue.js';
import { openDatabase } from '../store/sqlite/database.js';
import { SqliteJobQueue } from '../store/sqlite/sqlite-job-queue.js';

/**
 * The job queue for this configuration, picked once at start-up. Embedded: the system database
 * (its migrations include `jobs`). PostgreSQL has no queue of its own yet, so a node-local SQLite
 * file holds the jobs there: fine for one server, not for a cluster.
 */
export function openJobQueue(config: Config, stores: Stores): { queue: JobQueue; close: () => void } {
  if (stores.systemDb) return { queue: new SqliteJobQueue(stores.systemDb), close: () => undefined };
  const db = openDatabase(path.join(config.dataDir, 'jobs.sqlite'), { migrations: ['jobs'] });
  return { queue: new SqliteJobQueue(db), close: () => db.close() };
}
