import { createRequire } from 'node:module';
import type * as Gdal from 'gdal-async';
import type { GeometryType } from '../../geometry/esri-geometry.js';
import { ApiError } from '../../errors.js';
import type { FieldType } from '../field-types.js';
import { ogrDateToEpoch, sanitizeNames, toText, widenTextType, type SourceField, type TextColumnType } from './source-fields.js';

const gdal = createRequire(import.meta.url)('gdal-async') as typeof Gdal;

export type SourceFormat = 'geojson' | 'csv' | 'shapefile' | 'geopackage';

/** One layer of a source file, scanned: fields typed, geometry type and SR decided. */
export interface SourceLayer {
  index: number;
  name: string;
  fields: SourceField[];
  geometryType?: GeometryType;
  hasZ: boolean;
  /** EPSG code of the coordinates handed out. */
  srid: number;
  /** Set when the source SR has no EPSG code: geometries are projected to WGS84 lon/lat. */
  toLonLat?: Gdal.CoordinateTransformation;
  /** CSV point columns (source names). */
  xy?: { x: string; y: string };
  featureCount: number;
}

export interface CsvLocation {
  x?: string;
  y?: string;
}

const X_NAMES = ['x', 'lon', 'long', 'lng', 'longitude', 'easting', 'xcoord', 'point_x'];
const Y_NAMES = ['y', 'lat', 'latitude', 'northing', 'ycoord', 'point_y'];

/**
 * Opens a GeoJSON, CSV, Shapefile (zipped or not) or GeoPackage with GDAL (async calls: the reading runs
 * on the libuv pool, not the event loop). A zip is read in place through /vsizip/.
 */
export async function openSource(file: string, format: SourceFormat): Promise<Gdal.Dataset> {
  // A shapefile comes zipped (uploads) or as the .shp beside its .dbf/.shx/.prj (local imports).
  const path = format === 'shapefile' && !file.toLowerCase().endsWith('.shp') ? `/vsizip/${file}` : file;
  const drivers = { geojson: ['GeoJSON'], csv: ['CSV'], shapefile: ['ESRI Shapefile'], geopackage: ['GPKG'] }[format];
  try {
    return await gdal.openAsync(path, 'r', drivers);
  } catch {
    throw ApiError.unableToComplete(`The file could not be read as ${format}.`);
  }
}

/**
 * Reads every feature of every layer once to decide what the layers become: field types (CSV
 * columns typed by their values), string lengths, the geometry type (points + multipoints make a
 * multipoint layer; lines and polygons may not mix), z, and the SR.
 */
export async function scanSource(dataset: Gdal.Dataset, format: SourceFormat, location: CsvLocation = {}): Promise<SourceLayer[]> {
  const layers: SourceLayer[] = [];
  const count = await dataset.layers.countAsync();
  for (let index = 0; index < count; index++) {
    const layer = await dataset.layers.getAsync(index);
    layers.push(await scanLayer(layer, index, format, location));
  }
  if (layers.length === 0) throw ApiError.unableToComplete('The file holds no layers.');
  return layers;
}

interface OgrFieldInfo {
  name: string;
  type: string;
  width: number;
}

async function scanLayer(layer: Gdal.Layer, index: number, format: SourceFormat, location: CsvLocation): Promise<SourceLayer> {
  const ogrFields: OgrFieldInfo[] = layer.fields.map((f) => ({ name: f.name, type: f.type, width: f.width }));
  const xy = format === 'csv' ? findXY(ogrFields.map((f) => f.name), location) : undefined;
  const textTypes = new Map<string, TextColumnType>(ogrFields.map((f) => [f.name, 'empty']));
  const lengths = new Map<string, number>(ogrFields.map((f) => [f.name, 0]));
  const kinds = new Set<string>();
  let hasZ = false;
  let featureCount = 0;
  for (let feature = await layer.features.firstAsync(); feature; feature = await layer.features.nextAsync()) {
    featureCount++;
    const values = feature.fields.toObject() as Record<string, unknown>;
    for (const f of ogrFields) {
      const value = values[f.name];
      if (value === null || value === undefined) continue;
      const text = toText(value)!;
      if (format === 'csv') textTypes.set(f.name, widenTextType(textTypes.get(f.name)!, text));
      lengths.set(f.name, Math.max(lengths.get(f.name)!, text.length));
    }
    const geometry = feature.getGeometry();
    if (geometry) {
      kinds.add(kindOf(geometry.wkbType));
      hasZ ||= (geometry.wkbType & gdal.wkb25DBit) !== 0 || geometry.coordinateDimension === 3;
    }
  }
  const names = sanitizeNames(ogrFields.map((f) => f.name));
  const fields = ogrFields.map((f, i) =>
    format === 'csv' ? csvField(f, names[i]!, textTypes.get(f.name)!, lengths.get(f.name)!) : ogrField(f, names[i]!, lengths.get(f.name)!),
  );
  const scanned: SourceLayer = { index, name: layer.name || `layer${index}`, fields, hasZ: hasZ && !xy, srid: 4326, featureCount };
  if (xy) {
    scanned.xy = xy;
    scanned.geometryType = 'esriGeometryPoint';
    scanned.hasZ = false;
  } else {
    const geometryType = geometryTypeOf(kinds);
    if (geometryType) scanned.geometryType = geometryType;
    Object.assign(scanned, spatialReferenceOf(layer.srs));
  }
  return scanned;
}

function findXY(names: string[], location: CsvLocation): { x: string; y: string } | undefined {
  const find = (wanted: string | undefined, candidates: string[]) =>
    wanted !== undefined ? names.find((n) => n.toLowerCase() === wanted.toLowerCase()) : names.find((n) => candidates.includes(n.toLowerCase()));
  const x = find(location.x, X_NAMES);
  const y = find(location.y, Y_NAMES);
  if ((location.x || location.y) && (!x || !y)) throw ApiError.invalidParameter('The coordinate fields named in publishParameters are not in the file.');
  return x && y ? { x, y } : undefined;
}

function kindOf(wkbType: number): string {
  switch (wkbType & 0xff) {
    case 1:
      return 'point';
    case 4:
      return 'multipoint';
    case 2:
    case 5:
      return 'line';
    case 3:
    case 6:
      return 'polygon';
    default:
      return 'other';
  }
}

function geometryTypeOf(kinds: Set<string>): GeometryType | undefined {
  if (kinds.size === 0) return undefined;
  if (kinds.has('other')) throw ApiError.unableToComplete('The file holds geometry collections or curves, which a layer cannot store.');
  if ([...kinds].every((k) => k === 'point')) return 'esriGeometryPoint';
  if ([...kinds].every((k) => k === 'point' || k === 'multipoint')) return 'esriGeometryMultipoint';
  if (kinds.size === 1 && kinds.has('line')) return 'esriGeometryPolyline';
  if (kinds.size === 1 && kinds.has('polygon')) return 'esriGeometryPolygon';
  throw ApiError.unableToComplete('The layer mixes geometry types (points, lines, polygons); publish one type per layer.');
}

const LON_LAT = '+proj=longlat +datum=WGS84 +no_defs';

/** The EPSG code of the source SR, or WGS84 with a transformation when it has none. */
function spatialReferenceOf(srs: Gdal.SpatialReference | null): Pick<SourceLayer, 'srid' | 'toLonLat'> {
  if (!srs) return { srid: 4326 };
  try {
    srs.autoIdentifyEPSG();
  } catch {
    // Not every SR maps to an EPSG code; handled below.
  }
  const code = Number(srs.getAuthorityCode(null));
  if (srs.getAuthorityName(null) === 'EPSG' && Number.isInteger(code) && code > 0) return { srid: code };
  return { srid: 4326, toLonLat: new gdal.CoordinateTransformation(srs, gdal.SpatialReference.fromProj4(LON_LAT)) };
}

function ogrField(f: OgrFieldInfo, name: string, longest: number): SourceField {
  const base = { source: f.name, name };
  const types: Record<string, FieldType> = {
    integer: 'esriFieldTypeInteger',
    integer64: 'esriFieldTypeBigInteger',
    real: 'esriFieldTypeDouble',
    date: 'esriFieldTypeDate',
    dateTime: 'esriFieldTypeDate',
  };
  const type = types[f.type];
  if (type === 'esriFieldTypeDate') return { ...base, type, convert: ogrDateToEpoch };
  if (type) return { ...base, type, convert: (v) => (typeof v === 'number' ? v : null) };
  return { ...base, type: 'esriFieldTypeString', length: Math.max(f.width, longest, 256), convert: toText };
}

function csvField(f: OgrFieldInfo, name: string, type: TextColumnType, longest: number): SourceField {
  const base = { source: f.name, name };
  if (type === 'esriFieldTypeInteger' || type === 'esriFieldTypeDouble') {
    return { ...base, type, convert: (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : null) };
  }
  return { ...base, type: 'esriFieldTypeString', length: Math.max(longest, 256), convert: (v) => (v === '' ? null : toText(v)) };
}
