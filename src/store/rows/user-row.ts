import type { UserRecord } from '../user-store.js';

/** A users row as both SQL stores read it. */
export interface UserRow {
  username: string;
  full_name: string;
  email: string;
  role: UserRecord['role'];
  password_hash: string;
  token_version: number;
  created: number;
  modified: number;
}

export function toUserRecord(row: UserRow): UserRecord {
  return {
    username: row.username,
    fullName: row.full_name,
    email: row.email,
    role: row.role,
    passwordHash: row.password_hash,
    tokenVersion: row.token_version,
    created: row.created,
    modified: row.modified,
  };
}
