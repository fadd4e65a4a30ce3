import { PORTAL_ROLE, ROLE_PRIVILEGES } from '../auth/privileges.js';
import type { Principal } from '../auth/principal.js';
import type { FolderRecord, ItemRecord } from '../store/item-store.js';
import type { UserRecord } from '../store/user-store.js';
import { canManageItem } from './item-access.js';

/** The one organisation; ArcGIS Enterprise portals use this same id for theirs. */
export const ORG_ID = '0123456789ABCDEF';
/** The sharing API version of ArcGIS Enterprise 11.3, which the server side answers as. */
export const PORTAL_VERSION = '2024.1';

/** An item as the portal describes it (`content/items/<id>`, search results, user content). */
export function toItemJson(item: ItemRecord, principal: Principal | null): Record<string, unknown> {
  return {
    id: item.id,
    owner: item.owner,
    orgId: ORG_ID,
    created: item.created,
    modified: item.modified,
    guid: null,
    name: item.fileName,
    title: item.title,
    type: item.type,
    typeKeywords: item.typeKeywords,
    description: item.description,
    tags: item.tags,
    snippet: item.snippet,
    thumbnail: null,
    documentation: null,
    extent: item.extent ?? [],
    categories: [],
    spatialReference: item.spatialReference,
    accessInformation: null,
    licenseInfo: null,
    culture: 'en',
    properties: item.properties,
    advancedSettings: null,
    url: item.url,
    proxyFilter: null,
    access: item.access,
    size: item.size,
    subInfo: 0,
    appCategories: [],
    industries: [],
    languages: [],
    largeThumbnail: null,
    banner: null,
    screenshots: [],
    listed: false,
    ownerFolder: item.folderId,
    protected: false,
    commentsEnabled: false,
    numComments: 0,
    numRatings: 0,
    avgRating: 0,
    numViews: 0,
    ...(canManageItem(item, principal) ? { itemControl: 'admin' } : {}),
    scoreCompleteness: 0,
    groupDesignations: null,
    isOrgItem: true,
  };
}

export function toFolderJson(folder: FolderRecord): { username: string; id: string; title: string; created: number } {
  return { username: folder.owner, id: folder.id, title: folder.title, created: folder.created };
}

/**
 * A user as `community/self` and `community/users/<name>` show it. Email, role and privileges
 * only go to the user themself and administrators, as on the portal.
 */
export function toUserJson(user: UserRecord, viewer: Principal | null): Record<string, unknown> {
  const full = viewer !== null && (viewer.isAdmin || viewer.username.toLowerCase() === user.username.toLowerCase());
  const [firstName = '', ...rest] = user.fullName.split(' ');
  const body: Record<string, unknown> = {
    username: user.username,
    id: user.username,
    fullName: user.fullName || user.username,
    firstName,
    lastName: rest.join(' '),
    description: null,
    tags: [],
    culture: 'en',
    region: null,
    units: 'metric',
    thumbnail: null,
    access: 'org',
    created: user.created,
    modified: user.modified,
    provider: 'arcgis',
    orgId: ORG_ID,
  };
  if (!full) return body;
  return {
    ...body,
    email: user.email,
    role: PORTAL_ROLE[user.role],
    privileges: ROLE_PRIVILEGES[user.role],
    level: '2',
    userLicenseTypeId: 'creatorUT',
    disabled: false,
    mfaEnabled: false,
    storageUsage: 0,
    storageQuota: -1,
    groups: [],
  };
}

/** `portals/self`: the portal as the caller sees it, with the signed-in user when there is one. */
export function toPortalSelfJson(options: {
  base: string;
  maxTokenMinutes: number;
  user?: Record<string, unknown>;
}): Record<string, unknown> {
  const { base, user } = options;
  return {
    id: ORG_ID,
    name: 'Tessera',
    portalName: 'Tessera',
    urlKey: 'tessera',
    customBaseUrl: '',
    portalHostname: base.replace(/^https?:\/\//, ''),
    portalMode: 'singletenant',
    isPortal: true,
    currentVersion: PORTAL_VERSION,
    access: 'public',
    allSSL: base.startsWith('https:'),
    httpPort: 80,
    httpsPort: 443,
    culture: 'en',
    region: null,
    units: 'metric',
    canSearchPublic: true,
    canSharePublic: true,
    canSignInArcGIS: true,
    canSignInIDP: false,
    supportsOAuth: false,
    supportsHostedServices: true,
    maxTokenExpirationMinutes: options.maxTokenMinutes,
    authorizedCrossOriginDomains: [],
    // The ArcGIS API for Python finds Raster Analysis here (`arcgis.raster.analytics.is_supported`).
    helperServices: { rasterAnalytics: { url: `${base}/rest/services/System/RasterAnalysisTools/GPServer` } },
    defaultExtent: {
      xmin: -20037508.342789244,
      ymin: -20037508.342789244,
      xmax: 20037508.342789244,
      ymax: 20037508.342789244,
      spatialReference: { wkid: 102100, latestWkid: 3857 },
    },
    ...(user ? { user } : {}),
  };
}
