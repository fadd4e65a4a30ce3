/** Worker-thread entry of the SQLite store's heavy reads: its own connections, the same code. */
import { parentPort } from 'node:worker_threads';
import { serveThreadTasks } from '../../thread-pool.js';
import { SqliteFeatureStore, type OffThreadRead } from './sqlite-feature-store.js';

const stores = new Map<string, SqliteFeatureStore>();

serveThreadTasks(parentPort!, (message) => {
  const { dir, method, args } = message as unknown as { dir: string; method: OffThreadRead; args: unknown[] };
  let store = stores.get(dir);
  if (!store) stores.set(dir, (store = new SqliteFeatureStore(dir, { offThread: false })));
  return (store[method] as (...a: unknown[]) => Promise<unknown>)(...args);
});
