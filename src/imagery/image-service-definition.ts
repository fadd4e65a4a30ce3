import type { ServiceRecord } from '../store/service-store.js';

/** Hosted image collections are published in this services folder, as on ArcGIS Enterprise. */
export const HOSTED_FOLDER = 'Hosted';

/** Capabilities of a hosted collection's service (ArcGIS Image Service capabilities; hosted imagery layers). */
export const DEFAULT_CAPABILITIES = 'Image,Metadata,Catalog,Mensuration';

/**
 * What the services catalog keeps for an ImageServer (`ServiceRecord.definition`). A service the
 * portal created before the job ran (the Python client does so) has no `collectionId` yet.
 */
export interface ImageServiceDefinition {
  collectionId?: string;
  /** The job that created the service, so that its rollback removes only its own. */
  jobId?: string;
  capabilities?: string;
  description?: string;
  copyrightText?: string;
}

export function imageServiceDefinition(service: ServiceRecord): ImageServiceDefinition {
  return service.definition as ImageServiceDefinition;
}

/** `https://host/arcgis/rest/services/Hosted/<name>/ImageServer` */
export function imageServiceUrl(baseUrl: string, folder: string, name: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/rest/services/${folder ? `${folder}/` : ''}${name}/ImageServer`;
}

/** Folder and name of one of our ImageServer URLs (any host), or null. */
export function parseImageServiceUrl(text: string): { folder: string; name: string } | null {
  const match = /\/rest\/services\/(?:([^/?#]+)\/)?([^/?#]+)\/ImageServer\/?(?:[?#].*)?$/i.exec(text.trim());
  if (!match) return null;
  return { folder: match[1] ? decodeURIComponent(match[1]) : '', name: decodeURIComponent(match[2]) };
}
