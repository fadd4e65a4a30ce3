import type { ServiceRecord } from '../store/service-store.js';

/** The admin API spells the root folder `/`. */
function folderNameOf(folder: string): string {
  return folder || '/';
}

/** `admin/services` and `admin/services/<folder>`: sub-folders and the services in a folder. */
export function toFolderJson(folder: string, subFolders: string[], services: ServiceRecord[]): Record<string, unknown> {
  return {
    folderName: folderNameOf(folder),
    description: folder ? '' : 'Root folder',
    webEncrypted: false,
    isDefault: folder === '',
    folders: subFolders,
    foldersDetail: subFolders.map((name) => ({ folderName: name, description: '', webEncrypted: false, isDefault: false })),
    services: services.map((service) => ({
      folderName: folderNameOf(service.folder),
      serviceName: service.name,
      type: service.type,
      description: String(service.definition.description ?? ''),
    })),
  };
}

/** `admin/services/<folder>/<name>.<type>`: the service's configuration as we keep it. */
export function toServiceAdminJson(service: ServiceRecord, timeLimitSeconds: number): Record<string, unknown> {
  const gp = service.type === 'GPServer';
  return {
    serviceName: service.name,
    folderName: folderNameOf(service.folder),
    type: service.type,
    description: String(service.definition.description ?? ''),
    capabilities: '',
    provider: 'Tessera',
    configuredState: 'STARTED',
    private: service.access !== 'public',
    owner: service.owner,
    itemId: service.itemId,
    ...(gp ? { maxUsageTime: timeLimitSeconds } : {}),
    created: service.created,
    modified: service.modified,
    properties: service.definition,
    extensions: [],
    resources: gp ? ['jobs'] : [],
  };
}
