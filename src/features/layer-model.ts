import { toEpsg, toSpatialReferenceJson, type SpatialReference } from '../geometry/spatial-reference.js';
import type { GeometryKind, LayerSchema, TemporalKind } from '../store/feature-store.js';
import { GEOMETRY_COLUMN } from '../store/feature-store.js';
import { FIELD_TYPE_INFO } from './field-types.js';
import type { FeatureServiceDefinition, FieldDefinition, LayerDefinition } from './service-definition.js';
import type { WhereField } from '../where/where-types.js';

const GEOMETRY_KINDS: Record<string, GeometryKind> = {
  esriGeometryPoint: 'point',
  esriGeometryMultipoint: 'multipoint',
  esriGeometryPolyline: 'polyline',
  esriGeometryPolygon: 'polygon',
};

/** Temporal field types: a store may keep them in native date/time types. */
const TEMPORAL_KINDS: Partial<Record<string, TemporalKind>> = {
  esriFieldTypeDate: 'date',
  esriFieldTypeDateOnly: 'dateOnly',
  esriFieldTypeTimeOnly: 'timeOnly',
  esriFieldTypeTimestampOffset: 'timestampOffset',
};

/** Name by which where clauses may test the shape (`Shape IS NULL`). */
export const SHAPE_FIELD_NAME = 'Shape';

/** A layer definition with what every request derives from it, computed once per definition. */
export interface LayerModel {
  definition: LayerDefinition;
  schema: LayerSchema;
  /** Lower-cased name → field. */
  fieldsByKey: Map<string, FieldDefinition>;
  whereFields: WhereField[];
  /** EPSG code of the layer's coordinates (102100 → 3857); undefined for tables. */
  srid?: number;
  /** The layer SR as responses carry it (`{"wkid":102100,"latestWkid":3857}`). */
  spatialReference?: SpatialReference;
}

/**
 * The storage schema of a layer: the OID field is the store's object id, every other field
 * with a storage class becomes a column of the same name.
 */
export function layerSchemaOf(layer: LayerDefinition): LayerSchema {
  const schema: LayerSchema = {
    id: layer.id,
    objectIdColumn: layer.objectIdField,
    columns: layer.fields
      .filter((f) => f.type !== 'esriFieldTypeOID' && FIELD_TYPE_INFO[f.type].column !== undefined)
      .map((f) => {
        const temporal = TEMPORAL_KINDS[f.type];
        return { name: f.name, type: FIELD_TYPE_INFO[f.type].column!, ...(temporal ? { temporal } : {}) };
      }),
  };
  if (layer.globalIdField) schema.globalIdColumn = layer.globalIdField;
  if (layer.indexes?.length) {
    schema.indexes = layer.indexes.map((i) => ({ name: i.name, columns: i.fields.split(','), unique: i.isUnique }));
  }
  if (layer.geometryType) {
    const srid = toEpsg(layer.spatialReference ?? { wkid: 4326 });
    schema.geometry = { kind: GEOMETRY_KINDS[layer.geometryType]!, srid: srid ?? 4326, hasZ: layer.hasZ, hasM: layer.hasM };
  }
  return schema;
}

export function buildLayerModel(layer: LayerDefinition): LayerModel {
  const schema = layerSchemaOf(layer);
  const whereFields: WhereField[] = layer.fields
    .filter((f) => FIELD_TYPE_INFO[f.type].queryable)
    .map((f) => ({ name: f.name, type: f.type }));
  if (layer.geometryType) whereFields.push({ name: SHAPE_FIELD_NAME, type: 'esriFieldTypeGeometry' });
  const model: LayerModel = {
    definition: layer,
    schema,
    fieldsByKey: new Map(layer.fields.map((f) => [f.name.toLowerCase(), f])),
    whereFields,
  };
  if (schema.geometry) {
    model.srid = schema.geometry.srid;
    model.spatialReference = toSpatialReferenceJson(layer.spatialReference ?? { wkid: 4326 });
  }
  return model;
}

/** SQL for a field name in a where clause; the shape pseudo-field maps to the geometry column. */
export function quoteWhereColumn(name: string): string {
  const column = name === SHAPE_FIELD_NAME ? GEOMETRY_COLUMN : name;
  return `"${column.replace(/"/g, '""')}"`;
}

const cache = new WeakMap<FeatureServiceDefinition, Map<number, LayerModel>>();

/** The model of a layer of a definition, built on first use for that definition object. */
export function layerModelOf(definition: FeatureServiceDefinition, layer: LayerDefinition): LayerModel {
  let models = cache.get(definition);
  if (!models) {
    models = new Map();
    cache.set(definition, models);
  }
  let model = models.get(layer.id);
  if (!model) {
    model = buildLayerModel(layer);
    models.set(layer.id, model);
  }
  return model;
}
