import { parseArgs } from 'node:util';
import { defaultAdministrator, existingUser, withDataDirectory } from './cli-context.js';
import { UserError } from './user-error.js';

/**
 * `tessera token`: prints a token for scripts (`TOKEN=$(tessera token)`). It is signed with the
 * data directory's own secret, so whoever can read the data directory can have one without a
 * password, exactly as they could read the databases themselves.
 */
export async function runTokenCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { user: { type: 'string' }, expiration: { type: 'string' }, referer: { type: 'string' }, data: { type: 'string' } },
  });
  if (positionals.length > 0) throw new UserError(`Unexpected argument '${positionals[0]}' (see 'tessera help token').`);
  const expiration = values.expiration === undefined ? undefined : Number(values.expiration);
  if (expiration !== undefined && !(Number.isInteger(expiration) && expiration > 0)) {
    throw new UserError(`--expiration is a whole number of minutes, not '${values.expiration}'.`);
  }
  await withDataDirectory(values.data, async (context) => {
    const user = values.user ? await existingUser(context, values.user) : await defaultAdministrator(context);
    const issued = await context.auth.issueToken(user.username, {
      requestIp: '',
      ...(expiration ? { expiration } : {}),
      ...(values.referer ? { client: 'referer', referer: values.referer } : {}),
    });
    console.log(issued.token);
  });
}
