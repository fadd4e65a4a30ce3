import type { FeatureSetResult, QueryResult, StatisticsResult } from '../run-query.js';
import type { FieldDefinition } from '../service-definition.js';
import { geometryJson, type GeometryOutput } from './feature-geometry.js';

type ValueWriter = (value: unknown) => string;

const writeNumber: ValueWriter = (v) =>
  typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : typeof v === 'bigint' ? v.toString() : v === null || v === undefined ? 'null' : JSON.stringify(v);
const writeAny: ValueWriter = (v) => (v === null || v === undefined ? 'null' : typeof v === 'number' ? writeNumber(v) : JSON.stringify(v));

/** The field-set part of a feature-set response: fields carry only what clients read. */
export function outputField(field: Pick<FieldDefinition, 'name' | 'type' | 'alias'> & Partial<FieldDefinition>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: field.name, type: field.type, alias: field.alias };
  if (field.sqlType) out.sqlType = field.sqlType;
  if (field.length !== undefined) out.length = field.length;
  if (field.domain !== undefined) out.domain = field.domain;
  if (field.defaultValue !== undefined) out.defaultValue = field.defaultValue;
  return out;
}

/** The keys of a feature-set response other than `features`, in the order ArcGIS writes them. */
function featureSetHeader(result: FeatureSetResult): Record<string, unknown> {
  const header: Record<string, unknown> = { objectIdFieldName: result.objectIdFieldName };
  header.uniqueIdField = { name: result.objectIdFieldName, isSystemMaintained: true };
  header.globalIdFieldName = result.globalIdFieldName;
  if (result.geometryType) header.geometryType = result.geometryType;
  if (result.spatialReference) header.spatialReference = result.spatialReference;
  header.hasZ = result.hasZ;
  header.hasM = result.hasM;
  header.fields = result.fields.map(outputField);
  return header;
}

/**
 * A feature set as JSON text, built row by row with one precomputed writer per field: a page of
 * thousands of features costs string concatenation, not an object graph plus JSON.stringify.
 */
export function encodeFeatureSetJson(result: FeatureSetResult): string {
  if (result.featureJson !== undefined) return encodeFeatureSetJsonBytes(result).toString();
  const header = JSON.stringify(featureSetHeader(result));
  const tail = result.exceededTransferLimit ? ',"exceededTransferLimit":true}' : '}';
  const keys = result.fields.map((f) => JSON.stringify(f.name) + ':');
  const writers = result.fields.map((f) => (f.type === 'esriFieldTypeString' || f.type === 'esriFieldTypeGlobalID' || f.type === 'esriFieldTypeGUID' ? writeAny : writeNumberOrAny(f)));
  const n = keys.length;
  const at = result.geometryIndex;
  const geometry = geometryOutputOf(result);
  const parts = new Array<string>(result.rows.length);
  for (let r = 0; r < result.rows.length; r++) {
    const row = result.rows[r]!;
    let attributes = '{';
    for (let i = 0; i < n; i++) attributes += (i ? ',' : '') + keys[i] + writers[i]!(row[i]);
    attributes += '}';
    parts[r] = geometry ? `{"attributes":${attributes},"geometry":${geometryJson(row, at, geometry)}}` : `{"attributes":${attributes}}`;
  }
  return `${header.slice(0, -1)},"features":[${parts.join(',')}]${tail}`;
}

/** The same JSON as UTF-8 bytes; features the store rendered are copied in as they came. */
export function encodeFeatureSetJsonBytes(result: FeatureSetResult): Buffer {
  if (result.featureJson === undefined) return Buffer.from(encodeFeatureSetJson(result));
  const header = JSON.stringify(featureSetHeader(result));
  const tail = result.exceededTransferLimit ? '],"exceededTransferLimit":true}' : ']}';
  return Buffer.concat([Buffer.from(`${header.slice(0, -1)},"features":[`), result.featureJson, Buffer.from(tail)]);
}

function writeNumberOrAny(field: FieldDefinition): ValueWriter {
  const t = field.type;
  const numeric = t === 'esriFieldTypeOID' || t === 'esriFieldTypeInteger' || t === 'esriFieldTypeSmallInteger' || t === 'esriFieldTypeBigInteger';
  return numeric || t === 'esriFieldTypeDouble' || t === 'esriFieldTypeSingle' || t === 'esriFieldTypeDate' ? writeNumber : writeAny;
}

export function geometryOutputOf(result: FeatureSetResult): GeometryOutput | undefined {
  if (!result.withGeometry || !result.geometryType) return undefined;
  const output: GeometryOutput = { format: result.geometryFormat, geometryType: result.geometryType, hasZ: result.hasZ, hasM: result.hasM };
  if (result.geometryPrecision !== undefined) output.precision = result.geometryPrecision;
  return output;
}

/** Statistics as a feature set without geometry (ArcGIS outStatistics). */
export function statisticsBody(result: StatisticsResult): Record<string, unknown> {
  const features = result.rows.map((row) => ({ attributes: Object.fromEntries(result.fields.map((f, i) => [f.name, row[i] ?? null])) }));
  const body: Record<string, unknown> = { displayFieldName: '', fields: result.fields.map(outputField), features };
  if (result.exceededTransferLimit) body.exceededTransferLimit = true;
  return body;
}

/** Any query result as a plain JSON value (pjson, the HTML page, and the non-feature results). */
export function queryResultBody(result: QueryResult): unknown {
  switch (result.kind) {
    case 'features':
      return JSON.parse(encodeFeatureSetJson(result));
    case 'statistics':
      return statisticsBody(result);
    case 'count':
      return result.extent ? { count: result.count, extent: result.extent } : { count: result.count };
    case 'extent':
      return { extent: result.extent };
    case 'ids':
      return { objectIdFieldName: result.objectIdFieldName, objectIds: result.objectIds };
  }
}
