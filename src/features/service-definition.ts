import type { GeometryType } from '../geometry/esri-geometry.js';
import type { SpatialReference } from '../geometry/spatial-reference.js';
import type { FieldType } from './field-types.js';

export type Domain =
  | { type: 'codedValue'; name: string; codedValues: Array<{ name: string; code: string | number }>; description?: string }
  | { type: 'range'; name: string; range: [number, number]; description?: string };

export interface FieldDefinition {
  name: string;
  type: FieldType;
  alias: string;
  sqlType: string;
  length?: number;
  nullable: boolean;
  editable: boolean;
  domain: Domain | null;
  defaultValue: unknown;
  precision?: number;
  scale?: number;
}

export interface EnvelopeJson {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  spatialReference?: SpatialReference;
}

/**
 * A layer or table as stored in the service definition: what `addToDefinition` gave, completed
 * with defaults. Layer JSON is rendered from it (plus the live extent).
 */
export interface LayerDefinition {
  id: number;
  name: string;
  type: 'Feature Layer' | 'Table';
  description: string;
  copyrightText: string;
  displayField: string;
  /** Absent for tables. */
  geometryType?: GeometryType;
  hasZ: boolean;
  hasM: boolean;
  /** As given at creation (the wkid is kept, e.g. 102100). */
  spatialReference?: SpatialReference;
  objectIdField: string;
  /** '' when there is none. */
  globalIdField: string;
  fields: FieldDefinition[];
  typeIdField: string;
  types: unknown[];
  templates: unknown[];
  drawingInfo: unknown;
  minScale: number;
  maxScale: number;
  defaultVisibility: boolean;
  /** Layer capabilities; the service's when not set. */
  capabilities?: string;
  maxRecordCount?: number;
  htmlPopupType: string;
  /** The extent given at creation, shown while the layer holds no geometry. */
  initialExtent?: EnvelopeJson;
  /** Attribute indexes as layer JSON lists them (`fields` is a comma list). */
  indexes: IndexDefinition[];
}

export interface IndexDefinition {
  name: string;
  fields: string;
  isAscending: boolean;
  isUnique: boolean;
  description: string;
}

/** A hosted feature service's `definition` in the services catalog. */
export interface FeatureServiceDefinition {
  /** Key of the service's data in the FeatureStore. */
  dataset: string;
  /** Bumped on every change, so cached per-layer models know when they are stale. */
  revision: number;
  serviceDescription: string;
  description: string;
  copyrightText: string;
  capabilities: string;
  maxRecordCount: number;
  spatialReference: SpatialReference;
  initialExtent?: EnvelopeJson;
  allowGeometryUpdates: boolean;
  /** Anonymous users may edit when the service is public (ArcGIS Online's "public data collection"). */
  allowAnonymousEdits: boolean;
  layers: LayerDefinition[];
  tables: LayerDefinition[];
}

/** Every layer and table of a service, in id order. */
export function allLayers(definition: FeatureServiceDefinition): LayerDefinition[] {
  return [...definition.layers, ...definition.tables].sort((a, b) => a.id - b.id);
}

export function findLayer(definition: FeatureServiceDefinition, id: number): LayerDefinition | undefined {
  return definition.layers.find((l) => l.id === id) ?? definition.tables.find((l) => l.id === id);
}

/** The operations a capabilities string allows, e.g. `Create,Delete,Query,Update,Editing`. */
export function capabilitySet(capabilities: string): Set<string> {
  return new Set(
    capabilities
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== ''),
  );
}

/** Normalises a capabilities list: canonical spelling, and `Editing` whenever any edit is allowed. */
export function normalizeCapabilities(capabilities: string): string {
  const known = ['Create', 'Delete', 'Query', 'Update', 'Uploads', 'Editing', 'Sync', 'Extract', 'ChangeTracking'];
  const set = capabilitySet(capabilities);
  if (set.has('create') || set.has('update') || set.has('delete')) set.add('editing');
  return known.filter((c) => set.has(c.toLowerCase())).join(',');
}
