import Pbf from 'pbf';
import type { EsriGeometry, GeometryType, Position } from '../../../geometry/esri-geometry.js';
import type { SpatialReference } from '../../../geometry/spatial-reference.js';
import {
  COUNT_RESULT,
  FEATURE,
  FEATURE_RESULT,
  FIELD,
  FIELD_TYPE_CODES,
  GEOMETRY,
  GEOMETRY_TYPE_CODES,
  IDS_RESULT,
  MESSAGE,
  nameOfCode,
  ORIGIN_LOWER_LEFT,
  SCALE_OR_TRANSLATE,
  SPATIAL_REFERENCE,
  SQL_TYPE_CODES,
  TRANSFORM,
  UNIQUE_ID_FIELD,
  VALUE,
} from './feature-collection-proto.js';
import type { PbfField } from './encode-feature-collection-pbf.js';
import type { PbfTransform } from './quantization.js';

export interface DecodedFeatureSet {
  objectIdFieldName: string;
  uniqueIdField?: { name: string; isSystemMaintained: boolean };
  globalIdFieldName?: string;
  geometryType?: GeometryType;
  spatialReference?: SpatialReference;
  exceededTransferLimit: boolean;
  hasZ: boolean;
  hasM: boolean;
  transform?: PbfTransform;
  fields: PbfField[];
  features: { attributes: Record<string, unknown>; geometry?: EsriGeometry; centroid?: EsriGeometry }[];
}

export type DecodedQueryResult = DecodedFeatureSet | { count: number } | { objectIdFieldName: string; objectIds: number[] };

interface RawGeometry {
  lengths: number[];
  coords: number[];
}

interface RawFeatureResult extends Omit<DecodedFeatureSet, 'features' | 'geometryType'> {
  geometryCode: number;
  rawFeatures: { values: unknown[]; geometry?: RawGeometry; centroid?: RawGeometry }[];
}

/**
 * Reads a `FeatureCollectionPBuffer` back into Esri-JSON-like objects, with coordinates
 * dequantized. Written for tests of the encoder (from the .proto, not from the encoder's code);
 * it reads the fields we write and skips the rest.
 */
export function decodeFeatureCollectionPbf(bytes: Uint8Array): { version: string; queryResult?: DecodedQueryResult } {
  const out: { version: string; queryResult?: DecodedQueryResult } = { version: '' };
  new Pbf(bytes).readFields((tag, o, pbf) => {
    if (tag === MESSAGE.version) o.version = pbf.readString();
    else if (tag === MESSAGE.queryResult) o.queryResult = readQueryResult(pbf);
  }, out);
  return out;
}

function readQueryResult(pbf: Pbf): DecodedQueryResult | undefined {
  let result: DecodedQueryResult | undefined;
  pbf.readMessage((tag, _o, p) => {
    if (tag === MESSAGE.featureResult) result = toFeatureSet(p.readMessage(readFeatureResultField, emptyFeatureResult()));
    else if (tag === MESSAGE.countResult) {
      result = p.readMessage((t, o: { count: number }, q) => {
        if (t === COUNT_RESULT.count) o.count = q.readVarint();
      }, { count: 0 });
    }
    else if (tag === MESSAGE.idsResult) {
      result = p.readMessage(
        (t, o: { objectIdFieldName: string; objectIds: number[] }, q) => {
          if (t === IDS_RESULT.objectIdFieldName) o.objectIdFieldName = q.readString();
          else if (t === IDS_RESULT.objectIds) q.readPackedVarint(o.objectIds);
        },
        { objectIdFieldName: '', objectIds: [] },
      );
    }
  }, {});
  return result;
}

function emptyFeatureResult(): RawFeatureResult {
  return { objectIdFieldName: '', geometryCode: 0, exceededTransferLimit: false, hasZ: false, hasM: false, fields: [], rawFeatures: [] };
}

function readFeatureResultField(tag: number, r: RawFeatureResult, pbf: Pbf): void {
  switch (tag) {
    case FEATURE_RESULT.objectIdFieldName:
      r.objectIdFieldName = pbf.readString();
      break;
    case FEATURE_RESULT.uniqueIdField:
      r.uniqueIdField = pbf.readMessage((t, o: { name: string; isSystemMaintained: boolean }, p) => {
        if (t === UNIQUE_ID_FIELD.name) o.name = p.readString();
        else if (t === UNIQUE_ID_FIELD.isSystemMaintained) o.isSystemMaintained = p.readBoolean();
      }, { name: '', isSystemMaintained: false });
      break;
    case FEATURE_RESULT.globalIdFieldName:
      r.globalIdFieldName = pbf.readString();
      break;
    case FEATURE_RESULT.geometryType:
      r.geometryCode = pbf.readVarint();
      break;
    case FEATURE_RESULT.spatialReference:
      r.spatialReference = pbf.readMessage(readSpatialReferenceField, {});
      break;
    case FEATURE_RESULT.exceededTransferLimit:
      r.exceededTransferLimit = pbf.readBoolean();
      break;
    case FEATURE_RESULT.hasZ:
      r.hasZ = pbf.readBoolean();
      break;
    case FEATURE_RESULT.hasM:
      r.hasM = pbf.readBoolean();
      break;
    case FEATURE_RESULT.transform:
      r.transform = readTransform(pbf);
      break;
    case FEATURE_RESULT.fields:
      r.fields.push(pbf.readMessage(readFieldField, { name: '', type: '' }));
      break;
    case FEATURE_RESULT.features:
      r.rawFeatures.push(pbf.readMessage(readFeatureField, { values: [] }));
      break;
  }
}

function readSpatialReferenceField(tag: number, sr: SpatialReference, pbf: Pbf): void {
  if (tag === SPATIAL_REFERENCE.wkid) sr.wkid = pbf.readVarint();
  else if (tag === SPATIAL_REFERENCE.lastestWkid) sr.latestWkid = pbf.readVarint();
  else if (tag === SPATIAL_REFERENCE.vcsWkid) sr.vcsWkid = pbf.readVarint();
  else if (tag === SPATIAL_REFERENCE.latestVcsWkid) sr.latestVcsWkid = pbf.readVarint();
  else if (tag === SPATIAL_REFERENCE.wkt) sr.wkt = pbf.readString();
}

function readTransform(pbf: Pbf): PbfTransform {
  const xyzm = (): PbfTransform['scale'] =>
    pbf.readMessage((t, o: PbfTransform['scale'], p) => {
      const axis = (['x', 'y', 'm', 'z'] as const)[t - SCALE_OR_TRANSLATE.x];
      if (axis !== undefined) o[axis] = p.readDouble();
    }, { x: 0, y: 0, z: 0, m: 0 });
  const transform: PbfTransform = { originPosition: 'upperLeft', scale: { x: 1, y: 1, z: 1, m: 1 }, translate: { x: 0, y: 0, z: 0, m: 0 } };
  pbf.readMessage((tag, t: PbfTransform, p) => {
    if (tag === TRANSFORM.quantizeOriginPostion) t.originPosition = p.readVarint() === ORIGIN_LOWER_LEFT ? 'lowerLeft' : 'upperLeft';
    else if (tag === TRANSFORM.scale) t.scale = xyzm();
    else if (tag === TRANSFORM.translate) t.translate = xyzm();
  }, transform);
  return transform;
}

function readFieldField(tag: number, field: PbfField, pbf: Pbf): void {
  if (tag === FIELD.name) field.name = pbf.readString();
  else if (tag === FIELD.fieldType) field.type = nameOfCode(FIELD_TYPE_CODES, pbf.readVarint()) ?? 'unknown';
  else if (tag === FIELD.alias) field.alias = pbf.readString();
  else if (tag === FIELD.sqlType) field.sqlType = nameOfCode(SQL_TYPE_CODES, pbf.readVarint());
  else if (tag === FIELD.domain) field.domain = JSON.parse(pbf.readString());
  else if (tag === FIELD.defaultValue) field.defaultValue = pbf.readString();
}

function readFeatureField(tag: number, feature: RawFeatureResult['rawFeatures'][number], pbf: Pbf): void {
  if (tag === FEATURE.attributes) feature.values.push(readValue(pbf));
  else if (tag === FEATURE.geometry) feature.geometry = readGeometry(pbf);
  else if (tag === FEATURE.centroid) feature.centroid = readGeometry(pbf);
}

function readGeometry(pbf: Pbf): RawGeometry {
  return pbf.readMessage((tag, g: RawGeometry, p) => {
    if (tag === GEOMETRY.lengths) p.readPackedVarint(g.lengths);
    else if (tag === GEOMETRY.coords) p.readPackedSVarint(g.coords);
  }, { lengths: [], coords: [] });
}

function readValue(pbf: Pbf): unknown {
  const holder: { value: unknown } = { value: null };
  pbf.readMessage((tag, h: { value: unknown }, p) => {
    switch (tag) {
      case VALUE.string:
        h.value = p.readString();
        break;
      case VALUE.float:
        h.value = p.readFloat();
        break;
      case VALUE.double:
        h.value = p.readDouble();
        break;
      case VALUE.sint:
        h.value = p.readSVarint();
        break;
      case VALUE.uint:
        h.value = p.readVarint();
        break;
      case VALUE.int64: h.value = p.readVarint(true); break;
      case VALUE.uint64: h.value = p.readVarint(); break;
      case VALUE.sint64: h.value = p.readSVarint(); break;
      case VALUE.bool:
        h.value = p.readBoolean();
        break;
    }
  }, holder);
  return holder.value;
}

function toFeatureSet(raw: RawFeatureResult): DecodedFeatureSet {
  const { geometryCode, rawFeatures, ...rest } = raw;
  const geometryType = nameOfCode(GEOMETRY_TYPE_CODES, geometryCode) as GeometryType | 'esriGeometryNone' | undefined;
  const set: DecodedFeatureSet = { ...rest, features: [] };
  if (geometryType !== undefined && geometryType !== 'esriGeometryNone') set.geometryType = geometryType;
  for (const f of rawFeatures) {
    const attributes = Object.fromEntries(raw.fields.map((field, i) => [field.name, f.values[i] ?? null]));
    const feature: DecodedFeatureSet['features'][number] = { attributes };
    if (f.geometry && set.geometryType && raw.transform) feature.geometry = dequantize(f.geometry, set.geometryType, raw);
    if (f.centroid && raw.transform) feature.centroid = dequantize(f.centroid, 'esriGeometryPoint', raw);
    set.features.push(feature);
  }
  return set;
}

function dequantize(geometry: RawGeometry, type: GeometryType, raw: RawFeatureResult): EsriGeometry {
  const { scale, translate, originPosition } = raw.transform as PbfTransform;
  const stride = 2 + (raw.hasZ ? 1 : 0) + (raw.hasM ? 1 : 0);
  const lengths = geometry.lengths.length > 0 ? geometry.lengths : [geometry.coords.length / stride];
  const ySign = originPosition === 'upperLeft' ? -1 : 1;
  const parts: Position[][] = [];
  let offset = 0;
  for (const length of lengths) {
    const part: Position[] = [];
    let qx = 0;
    let qy = 0;
    for (let i = 0; i < length; i++, offset += stride) {
      qx += geometry.coords[offset];
      qy += geometry.coords[offset + 1];
      const position = [translate.x + qx * scale.x, translate.y + ySign * qy * scale.y];
      if (raw.hasZ) position.push(translate.z + geometry.coords[offset + 2] * scale.z);
      if (raw.hasM) position.push(translate.m + geometry.coords[offset + stride - 1] * scale.m);
      part.push(position);
    }
    parts.push(part);
  }
  if (type === 'esriGeometryPoint') {
    const [x, y, ...rest] = parts[0][0];
    return raw.hasZ ? (raw.hasM ? { x, y, z: rest[0], m: rest[1] } : { x, y, z: rest[0] }) : raw.hasM ? { x, y, m: rest[0] } : { x, y };
  }
  if (type === 'esriGeometryMultipoint') return { points: parts.flat() };
  return type === 'esriGeometryPolyline' ? { paths: parts } : { rings: parts };
}
