import type { Role } from '../store/user-store.js';

/** Privileges, named as the portal names them, that our roles carry. */
export type Privilege =
  | 'portal:user:createItem'
  | 'portal:publisher:publishFeatures'
  | 'portal:publisher:publishImagery'
  | 'premium:publisher:rasteranalysis'
  | 'features:user:edit'
  | 'portal:admin:viewItems'
  | 'portal:admin:updateItems'
  | 'portal:admin:deleteItems'
  | 'portal:admin:manageServers'
  | 'portal:admin:manageSecurity';

const USER: Privilege[] = ['portal:user:createItem', 'features:user:edit'];
const PUBLISHER: Privilege[] = [
  ...USER,
  'portal:publisher:publishFeatures',
  'portal:publisher:publishImagery',
  'premium:publisher:rasteranalysis',
];
const ADMINISTRATOR: Privilege[] = [
  ...PUBLISHER,
  'portal:admin:viewItems',
  'portal:admin:updateItems',
  'portal:admin:deleteItems',
  'portal:admin:manageServers',
  'portal:admin:manageSecurity',
];

export const ROLE_PRIVILEGES: Record<Role, Privilege[]> = {
  user: USER,
  publisher: PUBLISHER,
  administrator: ADMINISTRATOR,
};

/** The portal's names for our roles, as `community/self` reports them. */
export const PORTAL_ROLE: Record<Role, string> = {
  administrator: 'org_admin',
  publisher: 'org_publisher',
  user: 'org_user',
};
