/**
 * A mistake the person at the terminal can fix (a missing argument, an unknown user, a file that
 * does not read): the CLI prints its message as one line and exits with code 2, never a stack.
 *
 * @example throw new UserError(`No user 'ana' in ${config.dataDir}.`);
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Exit code of user errors (usage, input); 1 stays for faults of the server itself. */
export const USER_ERROR_EXIT = 2;
