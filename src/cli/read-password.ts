import { generatePassword } from '../auth/passwords.js';
import { UserError } from './user-error.js';

/** ArcGIS Enterprise's built-in store asks for at least 8 characters; so do we. */
const MIN_LENGTH = 8;

/**
 * The password for `user add` / `user passwd`: from `--password-stdin` (first line of stdin, kept
 * out of shell history and `ps`), from `--password`, or generated and printed once.
 */
export async function choosePassword(options: { password?: string; passwordStdin?: boolean }): Promise<{ password: string; generated: boolean }> {
  let password = options.password;
  if (options.passwordStdin) password = (await readStdin()).split(/\r?\n/)[0];
  if (password === undefined) return { password: generatePassword(), generated: true };
  if (password.length < MIN_LENGTH) throw new UserError(`The password must have at least ${MIN_LENGTH} characters.`);
  return { password, generated: false };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
