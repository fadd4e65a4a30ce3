export type ServiceType = 'FeatureServer' | 'MapServer' | 'GPServer' | 'ImageServer' | 'GeometryServer';

export interface ServiceRecord {
  /** '' for the root folder. */
  folder: string;
  name: string;
  type: ServiceType;
  owner: string | null;
  itemId: string | null;
  access: 'private' | 'public';
  /** Capability-specific definition, stored as JSON. */
  definition: Record<string, unknown>;
  created: number;
  modified: number;
}

/** The services catalog shared by every capability (features, GP, imagery). */
export interface ServiceStore {
  list(folder?: string): Promise<ServiceRecord[]>;
  folders(): Promise<string[]>;
  get(folder: string, name: string, type: ServiceType): Promise<ServiceRecord | undefined>;
  create(service: ServiceRecord): Promise<void>;
  update(folder: string, name: string, type: ServiceType, patch: Partial<Pick<ServiceRecord, 'owner' | 'itemId' | 'access' | 'definition'>>): Promise<void>;
  delete(folder: string, name: string, type: ServiceType): Promise<void>;
}
