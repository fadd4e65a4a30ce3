import Pbf from 'pbf';
import { convertPosition, inputDimsOf, type Dims } from '../../../geometry/coordinate-dims.js';
import { envelopeToPolygon } from '../../../geometry/envelope.js';
import { isEmptyGeometry, type EsriGeometry, type EsriPoint, type GeometryType, type Position } from '../../../geometry/esri-geometry.js';
import type { SpatialReference } from '../../../geometry/spatial-reference.js';
import {
  COUNT_RESULT,
  FEATURE,
  FEATURE_RESULT,
  FIELD,
  FIELD_TYPE_CODES,
  GEOMETRY,
  GEOMETRY_PROPERTIES,
  GEOMETRY_TYPE_CODES,
  IDS_RESULT,
  MESSAGE,
  ORIGIN_LOWER_LEFT,
  ORIGIN_UPPER_LEFT,
  SCALE_OR_TRANSLATE,
  SPATIAL_REFERENCE,
  SQL_TYPE_CODES,
  TRANSFORM,
  UNIQUE_ID_FIELD,
} from './feature-collection-proto.js';
import {
  chooseTransform,
  Quantizer,
  type PartKind,
  type PbfTransform,
  type QuantizationParameters,
  type QuantizedGeometry,
} from './quantization.js';
import { valueWriterFor, type ValueWriter } from './write-value.js';

export interface PbfField {
  name: string;
  type: string;
  alias?: string;
  length?: number;
  sqlType?: string;
  domain?: unknown;
  defaultValue?: unknown;
}

export interface PbfFeature {
  attributes: Record<string, unknown>;
  geometry?: EsriGeometry | null;
  centroid?: EsriPoint | null;
}

/** A query result as the JSON encoder would write it (the feature set JSON of an ArcGIS query answer). */
export interface PbfFeatureSet {
  objectIdFieldName: string;
  globalIdFieldName?: string;
  uniqueIdField?: { name: string; isSystemMaintained: boolean };
  geometryType?: GeometryType | null;
  spatialReference?: SpatialReference;
  hasZ?: boolean;
  hasM?: boolean;
  geometryProperties?: { shapeAreaFieldName?: string; shapeLengthFieldName?: string; units?: string };
  fields: PbfField[];
  features: PbfFeature[];
  exceededTransferLimit?: boolean;
}

export interface PbfCountResult {
  count: number;
}

export interface PbfIdsResult {
  objectIdFieldName: string;
  objectIds: number[];
}

export type PbfQueryResult = PbfFeatureSet | PbfCountResult | PbfIdsResult;

export interface PbfEncodeOptions {
  quantizationParameters?: QuantizationParameters;
}

/** The message version written; the published README's examples carry 1. */
const PBF_VERSION = '1';

/**
 * Encodes a query result as Esri's `FeatureCollectionPBuffer` (the `f=pbf` body, content type
 * `application/x-protobuf`): a feature set, `{count}` (returnCountOnly) or
 * `{objectIdFieldName, objectIds}` (returnIdsOnly). Geometries are quantized per
 * `quantizationParameters`, or on a full-precision grid of our choosing (see chooseTransform).
 * Throws RangeError when a requested tolerance is too fine for the data's extent.
 *
 * @example reply.type('application/x-protobuf').send(Buffer.from(encodeFeatureCollectionPbf(result, { quantizationParameters })))
 */
export function encodeFeatureCollectionPbf(result: PbfQueryResult, options: PbfEncodeOptions = {}): Uint8Array {
  const pbf = new Pbf();
  pbf.writeStringField(MESSAGE.version, PBF_VERSION);
  pbf.writeMessage(MESSAGE.queryResult, writeQueryResult, { result, options });
  return pbf.finish();
}

interface EncodeInput {
  result: PbfQueryResult;
  options: PbfEncodeOptions;
}

function writeQueryResult({ result, options }: EncodeInput, pbf: Pbf): void {
  if ('objectIds' in result) pbf.writeMessage(MESSAGE.idsResult, writeIdsResult, result);
  else if ('fields' in result) pbf.writeMessage(MESSAGE.featureResult, writeFeatureResult, prepareFeatureSet(result, options));
  else pbf.writeMessage(MESSAGE.countResult, (r: PbfCountResult, p: Pbf) => p.writeVarintField(COUNT_RESULT.count, r.count), result);
}

function writeIdsResult(result: PbfIdsResult, pbf: Pbf): void {
  pbf.writeStringField(IDS_RESULT.objectIdFieldName, result.objectIdFieldName);
  pbf.writePackedVarint(IDS_RESULT.objectIds, result.objectIds);
}

interface PreparedGeometry {
  geometry: QuantizedGeometry | null;
  centroid: QuantizedGeometry | null;
}

/** Envelope layers are sent as polygons: the published proto has no envelope geometry. */
type PbfGeometryType = Exclude<GeometryType, 'esriGeometryEnvelope'>;

interface PreparedFeatureSet {
  set: PbfFeatureSet;
  geometryType: PbfGeometryType | undefined;
  transform: PbfTransform | undefined;
  writers: ValueWriter[];
  geometries: PreparedGeometry[];
}

/** Flattens every geometry to positions, picks the grid over all of them, then quantizes. */
function prepareFeatureSet(set: PbfFeatureSet, options: PbfEncodeOptions): PreparedFeatureSet {
  const geometryType: PbfGeometryType | undefined =
    set.geometryType === 'esriGeometryEnvelope' ? 'esriGeometryPolygon' : (set.geometryType ?? undefined);
  const dims: Dims = { hasZ: set.hasZ === true, hasM: set.hasM === true };
  const writers = set.fields.map((field) => valueWriterFor(field.type));
  if (geometryType === undefined) return { set, geometryType, transform: undefined, writers, geometries: [] };
  const parts = set.features.map((feature) => ({
    geometry: feature.geometry ? partsOf(feature.geometry, dims) : null,
    centroid: feature.centroid ? partsOf(feature.centroid, dims) : null,
  }));
  const transform = chooseTransform(allParts(parts), dims, options.quantizationParameters);
  const quantizer = new Quantizer(transform, dims, options.quantizationParameters?.mode ?? 'edit');
  const kind = partKindOf(geometryType);
  const geometries = parts.map(({ geometry, centroid }) => ({
    geometry: geometry === null ? null : quantizer.quantize(geometry, kind),
    centroid: centroid === null ? null : quantizer.quantize(centroid, 'point'),
  }));
  return { set, geometryType, transform, writers, geometries };
}

function* allParts(parts: { geometry: Position[][] | null; centroid: Position[][] | null }[]): Generator<Position[][]> {
  for (const { geometry, centroid } of parts) {
    if (geometry !== null) yield geometry;
    if (centroid !== null) yield centroid;
  }
}

function partKindOf(type: PbfGeometryType): PartKind {
  if (type === 'esriGeometryPoint') return 'point';
  if (type === 'esriGeometryMultipoint') return 'multipoint';
  return type === 'esriGeometryPolyline' ? 'path' : 'ring';
}

/** Positions in the response layout, one array per part; null for an empty geometry. */
function partsOf(geometry: EsriGeometry, output: Dims): Position[][] | null {
  if (isEmptyGeometry(geometry)) return null;
  const input = inputDimsOf(geometry, output);
  // Most geometries already have the response's layout; copying 100k vertices is measurable.
  const sameLayout = input.hasZ === output.hasZ && input.hasM === output.hasM;
  const convert = (p: Position): Position => (sameLayout ? p : convertPosition(p, input, output));
  if ('x' in geometry) {
    const position: Position = [geometry.x as number, geometry.y as number];
    if (input.hasZ) position.push(geometry.z ?? 0);
    if (input.hasM) position.push(geometry.m ?? NaN);
    return [[convert(position)]];
  }
  const parts = partsOfMultipart(geometry);
  return sameLayout ? parts : parts.map((part) => part.map(convert));
}

function partsOfMultipart(geometry: Exclude<EsriGeometry, EsriPoint>): Position[][] {
  if ('points' in geometry) return [geometry.points];
  if ('paths' in geometry) return geometry.paths;
  return 'rings' in geometry ? geometry.rings : envelopeToPolygon(geometry).rings;
}

function writeFeatureResult(prepared: PreparedFeatureSet, pbf: Pbf): void {
  const { set, geometryType, transform } = prepared;
  pbf.writeStringField(FEATURE_RESULT.objectIdFieldName, set.objectIdFieldName);
  const uniqueIdField = set.uniqueIdField ?? { name: set.objectIdFieldName, isSystemMaintained: true };
  pbf.writeMessage(FEATURE_RESULT.uniqueIdField, writeUniqueIdField, uniqueIdField);
  if (set.globalIdFieldName) pbf.writeStringField(FEATURE_RESULT.globalIdFieldName, set.globalIdFieldName);
  if (set.geometryProperties) pbf.writeMessage(FEATURE_RESULT.geometryProperties, writeGeometryProperties, set.geometryProperties);
  pbf.writeVarintField(FEATURE_RESULT.geometryType, GEOMETRY_TYPE_CODES[geometryType ?? 'esriGeometryNone']);
  if (set.spatialReference) pbf.writeMessage(FEATURE_RESULT.spatialReference, writeSpatialReference, set.spatialReference);
  if (set.exceededTransferLimit) pbf.writeBooleanField(FEATURE_RESULT.exceededTransferLimit, true);
  if (set.hasZ) pbf.writeBooleanField(FEATURE_RESULT.hasZ, true);
  if (set.hasM) pbf.writeBooleanField(FEATURE_RESULT.hasM, true);
  if (transform) pbf.writeMessage(FEATURE_RESULT.transform, writeTransform, transform);
  for (const field of set.fields) pbf.writeMessage(FEATURE_RESULT.fields, writeField, field);
  set.features.forEach((feature, index) => {
    pbf.writeMessage(FEATURE_RESULT.features, writeFeature, { feature, prepared, index });
  });
}

function writeUniqueIdField(field: { name: string; isSystemMaintained: boolean }, pbf: Pbf): void {
  pbf.writeStringField(UNIQUE_ID_FIELD.name, field.name);
  pbf.writeBooleanField(UNIQUE_ID_FIELD.isSystemMaintained, field.isSystemMaintained);
}

function writeGeometryProperties(properties: NonNullable<PbfFeatureSet['geometryProperties']>, pbf: Pbf): void {
  if (properties.shapeAreaFieldName) pbf.writeStringField(GEOMETRY_PROPERTIES.shapeAreaFieldName, properties.shapeAreaFieldName);
  if (properties.shapeLengthFieldName) pbf.writeStringField(GEOMETRY_PROPERTIES.shapeLengthFieldName, properties.shapeLengthFieldName);
  if (properties.units) pbf.writeStringField(GEOMETRY_PROPERTIES.units, properties.units);
}

function writeSpatialReference(sr: SpatialReference, pbf: Pbf): void {
  if (sr.wkid !== undefined) pbf.writeVarintField(SPATIAL_REFERENCE.wkid, sr.wkid);
  if (sr.latestWkid !== undefined) pbf.writeVarintField(SPATIAL_REFERENCE.lastestWkid, sr.latestWkid);
  if (sr.vcsWkid !== undefined) pbf.writeVarintField(SPATIAL_REFERENCE.vcsWkid, sr.vcsWkid);
  if (sr.latestVcsWkid !== undefined) pbf.writeVarintField(SPATIAL_REFERENCE.latestVcsWkid, sr.latestVcsWkid);
  if (sr.wkt !== undefined) pbf.writeStringField(SPATIAL_REFERENCE.wkt, sr.wkt);
}

function writeTransform(transform: PbfTransform, pbf: Pbf): void {
  const origin = transform.originPosition === 'upperLeft' ? ORIGIN_UPPER_LEFT : ORIGIN_LOWER_LEFT;
  pbf.writeVarintField(TRANSFORM.quantizeOriginPostion, origin);
  pbf.writeMessage(TRANSFORM.scale, writeXyzm, transform.scale);
  pbf.writeMessage(TRANSFORM.translate, writeXyzm, transform.translate);
}

function writeXyzm(values: { x: number; y: number; z: number; m: number }, pbf: Pbf): void {
  pbf.writeDoubleField(SCALE_OR_TRANSLATE.x, values.x);
  pbf.writeDoubleField(SCALE_OR_TRANSLATE.y, values.y);
  pbf.writeDoubleField(SCALE_OR_TRANSLATE.m, values.m);
  pbf.writeDoubleField(SCALE_OR_TRANSLATE.z, values.z);
}

function writeField(field: PbfField, pbf: Pbf): void {
  pbf.writeStringField(FIELD.name, field.name);
  pbf.writeVarintField(FIELD.fieldType, FIELD_TYPE_CODES[field.type] ?? FIELD_TYPE_CODES.esriFieldTypeString);
  pbf.writeStringField(FIELD.alias, field.alias ?? field.name);
  pbf.writeVarintField(FIELD.sqlType, SQL_TYPE_CODES[field.sqlType ?? 'sqlTypeOther'] ?? SQL_TYPE_CODES.sqlTypeOther);
  if (field.domain !== undefined && field.domain !== null) pbf.writeStringField(FIELD.domain, JSON.stringify(field.domain));
  if (field.defaultValue !== undefined && field.defaultValue !== null) pbf.writeStringField(FIELD.defaultValue, String(field.defaultValue));
}

interface FeatureInput {
  feature: PbfFeature;
  prepared: PreparedFeatureSet;
  index: number;
}

function writeFeature({ feature, prepared, index }: FeatureInput, pbf: Pbf): void {
  const { fields } = prepared.set;
  for (let i = 0; i < fields.length; i++) {
    pbf.writeMessage(FEATURE.attributes, prepared.writers[i], feature.attributes[fields[i].name]);
  }
  const geometry = prepared.geometries[index];
  if (geometry?.geometry) pbf.writeMessage(FEATURE.geometry, writeGeometry, geometry.geometry);
  if (geometry?.centroid) pbf.writeMessage(FEATURE.centroid, writeGeometry, geometry.centroid);
}

function writeGeometry(geometry: QuantizedGeometry, pbf: Pbf): void {
  if (geometry.lengths.length > 0) pbf.writePackedVarint(GEOMETRY.lengths, geometry.lengths);
  pbf.writePackedSVarint(GEOMETRY.coords, geometry.coords);
}
