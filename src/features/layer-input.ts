import { isGeometryType, type GeometryType } from '../geometry/esri-geometry.js';
import { GeometryError } from '../geometry/geometry-error.js';
import { parseSpatialReference, type SpatialReference } from '../geometry/spatial-reference.js';
import { ApiError } from '../errors.js';
import { GEOMETRY_COLUMN } from '../store/feature-store.js';
import { defaultDrawingInfo, drawingToolOf } from './default-drawing-info.js';
import { FIELD_TYPE_INFO, isFieldType } from './field-types.js';
import type { Domain, EnvelopeJson, FieldDefinition, IndexDefinition, LayerDefinition } from './service-definition.js';

const FIELD_NAME = /^[\p{L}_][\p{L}\p{N}_]{0,127}$/u;
const STORABLE_GEOMETRY: GeometryType[] = ['esriGeometryPoint', 'esriGeometryMultipoint', 'esriGeometryPolyline', 'esriGeometryPolygon'];
const DEFAULT_STRING_LENGTH = 256;

export interface LayerInputContext {
  /** The id to use when the input has none (or one that is taken). */
  id: number;
  /** The service's spatial reference, for layers that name none. */
  serviceSpatialReference: SpatialReference;
  /** Treat as a table when no geometryType is given. */
  asTable: boolean;
}

type Json = Record<string, unknown>;

/**
 * Turns a layer or table from `addToDefinition` (or a publish) into a complete definition: an
 * objectId field is added when missing, GlobalID detected, names checked (unique regardless of
 * case, never the reserved geometry column), lengths and flags defaulted, a simple renderer and a
 * template added. Throws a 400 naming the problem.
 */
export function normalizeLayerInput(input: unknown, context: LayerInputContext): LayerDefinition {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('a layer must be a JSON object');
  const source = input as Json;
  const name = typeof source.name === 'string' && source.name.trim() !== '' ? source.name.trim() : `Layer${context.id}`;
  const geometryType = readGeometryType(source.geometryType, context.asTable);
  const fields = readFields(source.fields, name);
  const objectIdField = ensureObjectIdField(fields, source.objectIdField);
  const globalIdField = fields.find((f) => f.type === 'esriFieldTypeGlobalID')?.name ?? '';
  const stringFields = fields.filter((f) => f.type === 'esriFieldTypeString').map((f) => f.name);
  const displayField = typeof source.displayField === 'string' && fields.some((f) => f.name === source.displayField)
    ? source.displayField
    : (stringFields[0] ?? '');
  const extent = readExtent(source.extent);
  const spatialReference = geometryType
    ? (readSpatialReference(extent?.spatialReference ?? source.spatialReference) ?? context.serviceSpatialReference)
    : undefined;
  const layer: LayerDefinition = {
    id: context.id,
    name,
    type: geometryType ? 'Feature Layer' : 'Table',
    description: typeof source.description === 'string' ? source.description : '',
    copyrightText: typeof source.copyrightText === 'string' ? source.copyrightText : '',
    displayField,
    hasZ: geometryType !== undefined && source.hasZ === true,
    hasM: geometryType !== undefined && source.hasM === true,
    objectIdField,
    globalIdField,
    fields,
    typeIdField: typeof source.typeIdField === 'string' ? source.typeIdField : '',
    types: Array.isArray(source.types) ? source.types : [],
    templates: Array.isArray(source.templates) ? source.templates : [defaultTemplate(name, geometryType)],
    drawingInfo: source.drawingInfo ?? defaultDrawingInfo(geometryType),
    minScale: typeof source.minScale === 'number' ? source.minScale : 0,
    maxScale: typeof source.maxScale === 'number' ? source.maxScale : 0,
    defaultVisibility: source.defaultVisibility !== false,
    htmlPopupType: typeof source.htmlPopupType === 'string' ? source.htmlPopupType : 'esriServerHTMLPopupTypeNone',
    indexes: readIndexes(source.indexes, fields),
  };
  if (geometryType) layer.geometryType = geometryType;
  if (spatialReference) layer.spatialReference = spatialReference;
  if (extent && geometryType) layer.initialExtent = extent;
  if (typeof source.capabilities === 'string' && source.capabilities.trim() !== '') layer.capabilities = source.capabilities;
  if (typeof source.maxRecordCount === 'number' && source.maxRecordCount > 0) layer.maxRecordCount = Math.floor(source.maxRecordCount);
  return layer;
}

function invalid(problem: string): ApiError {
  return ApiError.invalidParameter(`Invalid layer definition: ${problem}`);
}

function readGeometryType(value: unknown, asTable: boolean): GeometryType | undefined {
  if (value === undefined || value === null || value === '') {
    if (asTable) return undefined;
    throw invalid('geometryType is required for a layer');
  }
  if (!isGeometryType(value) || !STORABLE_GEOMETRY.includes(value)) throw invalid(`geometryType '${String(value)}' is not supported`);
  return value;
}

function readSpatialReference(value: unknown): SpatialReference | undefined {
  try {
    return parseSpatialReference(value);
  } catch (error) {
    if (error instanceof GeometryError) throw invalid(error.message);
    throw error;
  }
}

function readExtent(value: unknown): EnvelopeJson | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Json;
  const numbers = [e.xmin, e.ymin, e.xmax, e.ymax];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  const [xmin, ymin, xmax, ymax] = numbers as number[];
  const extent: EnvelopeJson = { xmin, ymin, xmax, ymax };
  const sr = readSpatialReference(e.spatialReference);
  if (sr) extent.spatialReference = sr;
  return extent;
}

function readFields(value: unknown, layerName: string): FieldDefinition[] {
  if (value !== undefined && !Array.isArray(value)) throw invalid(`fields of '${layerName}' must be an array`);
  const fields: FieldDefinition[] = [];
  const seen = new Set<string>();
  for (const raw of (value as unknown[] | undefined) ?? []) {
    const field = readField(raw);
    if (field === undefined) continue;
    const key = field.name.toLowerCase();
    if (seen.has(key)) throw invalid(`field name '${field.name}' is used twice`);
    seen.add(key);
    fields.push(field);
  }
  return fields;
}

function readField(raw: unknown): FieldDefinition | undefined {
  if (typeof raw !== 'object' || raw === null) throw invalid('a field must be a JSON object');
  const source = raw as Json;
  if (source.type === 'esriFieldTypeGeometry') return undefined;
  const name = typeof source.name === 'string' ? source.name : '';
  if (!FIELD_NAME.test(name)) throw invalid(`field name '${name}' is not allowed`);
  if (name.toLowerCase() === GEOMETRY_COLUMN.toLowerCase()) throw invalid(`field name '${name}' is reserved for the geometry`);
  if (!isFieldType(source.type)) throw invalid(`field '${name}' has an unknown type '${String(source.type)}'`);
  const info = FIELD_TYPE_INFO[source.type];
  const system = source.type === 'esriFieldTypeOID' || source.type === 'esriFieldTypeGlobalID';
  const field: FieldDefinition = {
    name,
    type: source.type,
    alias: typeof source.alias === 'string' && source.alias !== '' ? source.alias : name,
    sqlType: info.sqlType,
    nullable: system ? false : source.nullable !== false,
    editable: system ? false : source.editable !== false,
    domain: readDomain(source.domain),
    defaultValue: source.defaultValue ?? null,
  };
  const length = source.type === 'esriFieldTypeString' ? readLength(source.length) : info.length;
  if (length !== undefined) field.length = length;
  if (typeof source.precision === 'number') field.precision = source.precision;
  if (typeof source.scale === 'number') field.scale = source.scale;
  return field;
}

function readLength(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : DEFAULT_STRING_LENGTH;
}

function readDomain(value: unknown): Domain | null {
  if (typeof value !== 'object' || value === null) return null;
  const domain = value as Json;
  if (domain.type === 'codedValue' && Array.isArray(domain.codedValues)) return domain as unknown as Domain;
  if (domain.type === 'range' && Array.isArray(domain.range) && domain.range.length === 2) return domain as unknown as Domain;
  throw invalid('a domain must be a codedValue or range domain');
}

/** The OID field: the one declared, or a new `OBJECTID` (or the name `objectIdField` asks for). */
function ensureObjectIdField(fields: FieldDefinition[], requested: unknown): string {
  const declared = fields.filter((f) => f.type === 'esriFieldTypeOID');
  if (declared.length > 1) throw invalid('a layer has exactly one esriFieldTypeOID field');
  if (declared[0]) return declared[0].name;
  const name = typeof requested === 'string' && FIELD_NAME.test(requested) ? requested : 'OBJECTID';
  if (fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) throw invalid(`field '${name}' must be of type esriFieldTypeOID`);
  fields.unshift({
    name,
    type: 'esriFieldTypeOID',
    alias: name,
    sqlType: 'sqlTypeOther',
    nullable: false,
    editable: false,
    domain: null,
    defaultValue: null,
  });
  return name;
}

const SYSTEM_INDEXED = new Set(['esriFieldTypeOID', 'esriFieldTypeGlobalID', 'esriFieldTypeGeometry']);

/**
 * Attribute indexes: `[{"name":"pop_idx","fields":"POP","isUnique":false}]`. Indexes on the
 * object id, GlobalID or shape are implicit and dropped; unknown fields are a 400.
 */
function readIndexes(value: unknown, fields: FieldDefinition[]): IndexDefinition[] {
  if (!Array.isArray(value)) return [];
  const indexes: IndexDefinition[] = [];
  for (const raw of value) {
    const source = (raw ?? {}) as Json;
    const names = String(source.fields ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    if (names.some((n) => n.toLowerCase() === 'shape')) continue;
    const indexed = names.map((n) => {
      const field = fields.find((f) => f.name.toLowerCase() === n.toLowerCase());
      if (!field) throw invalid(`index field '${n}' is not a field of the layer`);
      return field;
    });
    if (indexed.length === 0 || indexed.every((f) => SYSTEM_INDEXED.has(f.type))) continue;
    const name = typeof source.name === 'string' && FIELD_NAME.test(source.name) ? source.name : `${indexed.map((f) => f.name).join('_')}_idx`;
    if (indexes.some((i) => i.name.toLowerCase() === name.toLowerCase())) throw invalid(`index name '${name}' is used twice`);
    indexes.push({
      name,
      fields: indexed.map((f) => f.name).join(','),
      isAscending: source.isAscending !== false,
      isUnique: source.isUnique === true,
      description: typeof source.description === 'string' ? source.description : '',
    });
  }
  return indexes;
}

function defaultTemplate(name: string, geometryType: GeometryType | undefined): unknown {
  return { name, description: '', drawingTool: drawingToolOf(geometryType), prototype: { attributes: {} } };
}
