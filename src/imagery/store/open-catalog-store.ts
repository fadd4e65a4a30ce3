import type { Config } from '../../config.js';
import type { CatalogStore } from './catalog-store.js';
import { openPgCatalogStore } from './pg-catalog-store.js';
import { openSqliteCatalogStore } from './sqlite-catalog-store.js';

const open = new Map<string, CatalogStore>();

/**
 * The catalog store of a data directory, opened once per process: the HTTP process and each job
 * worker hold their own connection (SQLite WAL lets them share the file, PostgreSQL a schema):
 * the embedded store's SpatiaLite file, or PostGIS tables with `store.kind` postgres.
 *
 * @example const catalog = catalogStoreFor(context.config);
 */
export function catalogStoreFor(config: Config): CatalogStore {
  let store = open.get(config.dataDir);
  if (!store) {
    const opened: CatalogStore = config.store.kind === 'postgres' ? openPgCatalogStore(config) : openSqliteCatalogStore(config);
    const close = opened.close.bind(opened);
    opened.close = async () => {
      open.delete(config.dataDir);
      await close();
    };
    store = opened;
    open.set(config.dataDir, store);
  }
  return store;
}
