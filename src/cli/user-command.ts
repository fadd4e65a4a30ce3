import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/passwords.js';
import type { Role } from '../store/user-store.js';
import { existingUser, withDataDirectory, type CliContext } from './cli-context.js';
import { choosePassword } from './read-password.js';
import { UserError } from './user-error.js';

const ROLES: Role[] = ['administrator', 'publisher', 'user'];

/** `tessera user add|passwd|list|remove`: the built-in identity store, straight in the data directory. */
export async function runUserCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'full-name': { type: 'string' },
      email: { type: 'string' },
      json: { type: 'boolean' },
      data: { type: 'string' },
    },
  });
  const [action, username, ...extra] = positionals;
  if (extra.length > 0) throw new UserError(`Unexpected argument '${extra[0]}' (see 'tessera help user').`);
  const needsName = (verb: string) => {
    if (!username) throw new UserError(`Which user? 'tessera user ${verb} <username>'.`);
    return username;
  };
  const password = { password: values.password, passwordStdin: values['password-stdin'] };
  switch (action) {
    case 'add':
      return withDataDirectory(values.data, (c) => addUser(c, needsName('add'), values.role ?? 'user', values['full-name'] ?? '', values.email ?? '', password));
    case 'passwd':
      return withDataDirectory(values.data, (c) => changePassword(c, needsName('passwd'), password));
    case 'list':
      return withDataDirectory(values.data, (c) => listUsers(c, values.json ?? false));
    case 'remove':
      return withDataDirectory(values.data, (c) => removeUser(c, needsName('remove')));
    default:
      throw new UserError(action ? `Unknown 'tessera user ${action}': use add, passwd, list or remove.` : "'tessera user' needs add, passwd, list or remove.");
  }
}

type PasswordOptions = Parameters<typeof choosePassword>[0];

async function addUser(context: CliContext, username: string, role: string, fullName: string, email: string, options: PasswordOptions): Promise<void> {
  if (!ROLES.includes(role as Role)) throw new UserError(`Unknown role '${role}': use ${ROLES.join(', ')}.`);
  if (!/^[A-Za-z0-9_.@-]{1,128}$/.test(username)) throw new UserError(`'${username}' cannot be a user name: use letters, digits and _ . @ - (at most 128).`);
  if (await context.stores.users.get(username)) throw new UserError(`User '${username}' already exists (change its password with 'tessera user passwd ${username}').`);
  const { password, generated } = await choosePassword(options);
  await context.auth.createUser(username, password, role as Role, fullName);
  if (email) await context.stores.users.update(username, { email });
  console.log(`Added ${role} '${username}'${generated ? ` with password: ${password}` : ''}`);
}

async function changePassword(context: CliContext, username: string, options: PasswordOptions): Promise<void> {
  const user = await existingUser(context, username);
  const { password, generated } = await choosePassword(options);
  await context.stores.users.update(user.username, { passwordHash: await hashPassword(password) });
  // Tokens issued with the old password stop working, as after a reset in the portal.
  await context.stores.users.bumpTokenVersion(user.username);
  console.log(`Changed the password of '${user.username}'${generated ? ` to: ${password}` : ''}; its earlier tokens no longer work.`);
}

async function listUsers(context: CliContext, json: boolean): Promise<void> {
  const users = await context.stores.users.list();
  if (json) {
    console.log(JSON.stringify(users.map((u) => ({ username: u.username, role: u.role, fullName: u.fullName, email: u.email, created: u.created }))));
    return;
  }
  const rows = [['USERNAME', 'ROLE', 'FULL NAME', 'CREATED'], ...users.map((u) => [u.username, u.role, u.fullName, new Date(u.created).toISOString().slice(0, 10)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/** Refuses to orphan content or lock everyone out: ArcGIS also asks to move a member's items first. */
async function removeUser(context: CliContext, username: string): Promise<void> {
  const user = await existingUser(context, username);
  const items = await context.stores.items.query({ owner: user.username, start: 1, num: 1 });
  const services = (await context.stores.services.list()).filter((s) => s.owner?.toLowerCase() === user.username.toLowerCase());
  if (items.total > 0 || services.length > 0) {
    throw new UserError(`'${user.username}' owns ${items.total} item(s) and ${services.length} service(s): delete them first.`);
  }
  if (user.role === 'administrator') {
    const admins = (await context.stores.users.list()).filter((u) => u.role === 'administrator');
    if (admins.length <= 1) throw new UserError(`'${user.username}' is the last administrator: add another one first.`);
  }
  await context.stores.users.delete(user.username);
  console.log(`Removed user '${user.username}'.`);
}
