import { AuthService } from '../auth/auth-service.js';
import { loadConfig, type Config } from '../config.js';
import { openStores, type Stores } from '../store/index.js';
import type { UserRecord } from '../store/user-store.js';
import { UserError } from './user-error.js';

export interface CliContext {
  config: Config;
  stores: Stores;
  auth: AuthService;
}

/**
 * Opens the data directory the way the server does (same config, same stores, same token
 * secret), runs `work`, and closes it again. A running server sees the changes at once.
 */
export async function withDataDirectory<T>(dataDir: string | undefined, work: (context: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig(dataDir ? { dataDir } : {});
  const stores = await openStores(config);
  try {
    const auth = await AuthService.create(stores, config);
    return await work({ config, stores, auth });
  } finally {
    await stores.close();
  }
}

/**
 * The administrator commands act for by default: the configured one (`TESSERA_ADMIN_USER`,
 * `admin`) if it exists, else the first administrator created, so a server first started with
 * another name still works without `--owner`.
 */
export async function defaultAdministrator(context: CliContext): Promise<UserRecord> {
  const configured = await context.stores.users.get(context.config.admin.username);
  if (configured?.role === 'administrator') return configured;
  const admins = (await context.stores.users.list()).filter((u) => u.role === 'administrator').sort((a, b) => a.created - b.created);
  if (admins[0]) return admins[0];
  throw new UserError(
    `${context.config.dataDir} has no administrator yet: start the server once (tessera serve) or run 'tessera user add <name> --role administrator'.`,
  );
}

/** A user that must exist. */
export async function existingUser(context: CliContext, username: string): Promise<UserRecord> {
  const user = await context.stores.users.get(username);
  if (!user) throw new UserError(`There is no user '${username}' in ${context.config.dataDir} (see 'tessera user list').`);
  return user;
}
