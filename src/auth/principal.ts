import type { Role } from '../store/user-store.js';
import { ROLE_PRIVILEGES, type Privilege } from './privileges.js';

/** Who is asking: a signed-in user, or anonymous (null where a principal is optional). */
export interface Principal {
  username: string;
  role: Role;
  privileges: Privilege[];
  isAdmin: boolean;
  /** Where the token came from, for the admin API's "token in the POST body" rule. */
  tokenSource: 'parameter-query' | 'parameter-body' | 'header';
}

export function makePrincipal(username: string, role: Role, tokenSource: Principal['tokenSource']): Principal {
  return { username, role, privileges: ROLE_PRIVILEGES[role], isAdmin: role === 'administrator', tokenSource };
}

export function hasPrivilege(principal: Principal | null, privilege: Privilege): boolean {
  return principal !== null && principal.privileges.includes(privilege);
}
