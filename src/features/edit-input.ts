import { randomUUID } from 'node:crypto';
import { checkCoordinateDomain, isNotANumberPoint } from '../geometry/coordinate-domain.js';
import { validateEsriGeometry } from '../geometry/esri-geometry.js';
import { GeometryError } from '../geometry/geometry-error.js';
import { toEpsg } from '../geometry/spatial-reference.js';
import { esriToWkb } from '../geometry/wkb.js';
import type { FeatureUpdate, FeatureWrite, GeometryValue } from '../store/feature-store.js';
import { EditItemError, coerceAttribute, normalizeGuid } from './coerce-attribute.js';
import type { LayerModel } from './layer-model.js';

export interface EditInputOptions {
  useGlobalIds: boolean;
  allowGeometryUpdates: boolean;
}

/** A client edit checked and converted, or the reason it cannot be applied. */
export type Prepared<T> = { ok: true; value: T; globalId?: string } | { ok: false; error: EditItemError; objectId?: number; globalId?: string };

type Json = Record<string, unknown>;

function attributesOf(feature: unknown): Json {
  if (typeof feature !== 'object' || feature === null || Array.isArray(feature)) throw new EditItemError(1000, 'Invalid feature: expected a JSON object.');
  const attributes = (feature as Json).attributes ?? {};
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new EditItemError(1000, 'Invalid feature: attributes must be a JSON object.');
  }
  return attributes as Json;
}

/** Runs `work`; an EditItemError becomes a failed item carrying the key `keyOf` knows by then. */
function prepare<T>(work: () => { value: T; globalId?: string }, keyOf?: () => { objectId?: number; globalId?: string }): Prepared<T> {
  try {
    return { ok: true, ...work() };
  } catch (error) {
    if (!(error instanceof EditItemError)) throw error;
    return { ok: false, error, ...keyOf?.() };
  }
}

/**
 * Attribute values for the store: known, editable fields only (the object id, GlobalID and
 * read-only fields are ignored silently as ArcGIS does), each coerced to its field type.
 */
function readValues(model: LayerModel, attributes: Json): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    const field = model.fieldsByKey.get(name.toLowerCase());
    if (!field || !field.editable || field.type === 'esriFieldTypeOID' || field.type === 'esriFieldTypeGlobalID') continue;
    const value = coerceAttribute(field, raw);
    if (value === null && !field.nullable) throw new EditItemError(1001, `Field ${field.name} does not accept null values.`);
    values[field.name] = value;
  }
  return values;
}

/** The feature's geometry as WKB in the layer's dimensions, in its own SR (or the layer's). */
function readGeometry(model: LayerModel, feature: Json): GeometryValue | null {
  const layer = model.definition;
  try {
    // "NaN" reads as the empty point elsewhere; an edit that sends it meant a coordinate.
    if (isNotANumberPoint(feature.geometry)) throw new GeometryError('Invalid geometry: coordinates must be finite numbers');
    const geometry = validateEsriGeometry(feature.geometry, layer.geometryType);
    const srid = geometry.spatialReference ? toEpsg(geometry.spatialReference) : model.srid;
    if (srid === undefined) throw new EditItemError(1015, 'Geometry could not be set: unknown spatial reference.');
    checkCoordinateDomain(geometry, srid);
    const wkb = esriToWkb(geometry, { hasZ: layer.hasZ, hasM: layer.hasM });
    return wkb ? { wkb, srid } : null;
  } catch (error) {
    if (error instanceof GeometryError) throw new EditItemError(1015, `Geometry could not be set: ${error.message}`);
    throw error;
  }
}

function hasGeometry(model: LayerModel, feature: Json): boolean {
  return model.srid !== undefined && feature.geometry !== undefined && feature.geometry !== null;
}

/** An add: defaults filled, GlobalID generated (or the client's, with useGlobalIds), nulls checked. */
export function prepareAdd(model: LayerModel, feature: unknown, options: EditInputOptions): Prepared<FeatureWrite> {
  return prepare(() => {
    const attributes = attributesOf(feature);
    const values = readValues(model, attributes);
    for (const field of model.definition.fields) {
      if (field.name in values || field.type === 'esriFieldTypeOID' || field.type === 'esriFieldTypeGlobalID') continue;
      if (field.defaultValue !== null && field.defaultValue !== undefined) values[field.name] = coerceAttribute(field, field.defaultValue);
      else if (!field.nullable) throw new EditItemError(1001, `Field ${field.name} does not accept null values.`);
    }
    const globalId = model.definition.globalIdField ? globalIdForAdd(model, attributes, options.useGlobalIds) : undefined;
    if (globalId) values[model.definition.globalIdField] = globalId;
    const write: FeatureWrite = { values };
    if (hasGeometry(model, feature as Json)) write.geometry = readGeometry(model, feature as Json);
    return globalId ? { value: write, globalId } : { value: write };
  });
}

function globalIdForAdd(model: LayerModel, attributes: Json, useGlobalIds: boolean): string {
  if (!useGlobalIds) return `{${randomUUID().toUpperCase()}}`;
  const raw = lookup(attributes, model.definition.globalIdField);
  if (raw === undefined || raw === null || raw === '') throw new EditItemError(1020, 'GlobalID is missing.');
  const guid = normalizeGuid(raw);
  if (!guid) throw new EditItemError(1021, 'GlobalID is not a valid GUID.');
  return guid;
}

function lookup(attributes: Json, name: string): unknown {
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : attributes[key];
}

/** An update, keyed by its objectId attribute (or GlobalID with useGlobalIds). */
export function prepareUpdate(model: LayerModel, feature: unknown, options: EditInputOptions): Prepared<FeatureUpdate> {
  let key: { objectId?: number; globalId?: string } = {};
  return prepare(() => {
    const attributes = attributesOf(feature);
    const layer = model.definition;
    let updateKey: number | string;
    if (options.useGlobalIds && layer.globalIdField) {
      const guid = normalizeGuid(lookup(attributes, layer.globalIdField));
      if (!guid) throw new EditItemError(1020, 'GlobalID is missing.');
      key = { globalId: guid };
      updateKey = guid;
    } else {
      const id = Number(lookup(attributes, layer.objectIdField));
      if (!Number.isSafeInteger(id)) throw new EditItemError(1011, 'Object is missing: no objectId given.');
      key = { objectId: id };
      updateKey = id;
    }
    const update: FeatureUpdate = { key: updateKey, values: readValues(model, attributes) };
    if (hasGeometry(model, feature as Json)) {
      if (!options.allowGeometryUpdates) throw new EditItemError(1004, 'Geometry updates are not allowed.');
      update.geometry = readGeometry(model, feature as Json);
    }
    return { value: update };
  }, () => key);
}

/** A delete key: an objectId, or a GlobalID with useGlobalIds. */
export function prepareDelete(model: LayerModel, raw: unknown, options: EditInputOptions): Prepared<number | string> {
  return prepare<number | string>(() => {
    if (options.useGlobalIds && model.definition.globalIdField) {
      const guid = normalizeGuid(raw);
      if (!guid) throw new EditItemError(1020, 'GlobalID is missing.');
      return { value: guid };
    }
    const id = Number(raw);
    if (!Number.isSafeInteger(id)) throw new EditItemError(1011, `Object is missing: '${String(raw)}' is not an objectId.`);
    return { value: id };
  });
}
