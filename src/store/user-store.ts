export type Role = 'administrator' | 'publisher' | 'user';

export interface UserRecord {
  username: string;
  fullName: string;
  email: string;
  role: Role;
  passwordHash: string;
  tokenVersion: number;
  created: number;
  modified: number;
}

/** Users of the built-in identity store. Async so a PostgreSQL store fits behind it unchanged. */
export interface UserStore {
  get(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  create(user: Omit<UserRecord, 'created' | 'modified' | 'tokenVersion'>): Promise<UserRecord>;
  update(username: string, patch: Partial<Pick<UserRecord, 'fullName' | 'email' | 'role' | 'passwordHash'>>): Promise<void>;
  /** Invalidates every token issued so far to this user. */
  bumpTokenVersion(username: string): Promise<void>;
  /** Removes the user (callers first check that it owns no items or services). */
  delete(username: string): Promise<void>;
  count(): Promise<number>;
}
