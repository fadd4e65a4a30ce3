import { convertPosition, inputDimsOf, type Dims } from './coordinate-dims.js';
import { envelopeToPolygon } from './envelope.js';
import { isEmptyGeometry, validateEsriGeometry, type EsriGeometry, type Position } from './esri-geometry.js';
import { GeometryError } from './geometry-error.js';
import { groupRings, orientRing } from './rings.js';

export type GeoJSONGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

/**
 * Esri JSON → GeoJSON geometry (RFC 7946: exterior rings counter-clockwise, holes clockwise;
 * rings grouped into polygons by containment). z is kept, m dropped (GeoJSON has no m).
 * Returns null for an empty geometry.
 *
 * @example esriToGeoJSON({ x: 1, y: 2 }) // { type: 'Point', coordinates: [1, 2] }
 */
export function esriToGeoJSON(geometry: EsriGeometry, fallback: Partial<Dims> = {}): GeoJSONGeometry | null {
  if (isEmptyGeometry(geometry)) return null;
  const input = inputDimsOf(geometry, fallback);
  const output: Dims = { hasZ: input.hasZ, hasM: false };
  const convert = (p: Position): Position => convertPosition(p, input, output);
  if ('x' in geometry) {
    const coordinates = [geometry.x as number, geometry.y as number];
    if (input.hasZ) coordinates.push(geometry.z ?? 0);
    return { type: 'Point', coordinates };
  }
  if ('points' in geometry) return { type: 'MultiPoint', coordinates: geometry.points.map(convert) };
  if ('paths' in geometry) {
    const lines = geometry.paths.map((path) => path.map(convert));
    return lines.length === 1 ? { type: 'LineString', coordinates: lines[0] } : { type: 'MultiLineString', coordinates: lines };
  }
  const rings = 'rings' in geometry ? geometry.rings : envelopeToPolygon(geometry).rings;
  const polygons = groupRings(rings.map((ring) => ring.map(convert))).map(({ exterior, holes }) => [
    orientRing(exterior, false),
    ...holes.map((hole) => orientRing(hole, true)),
  ]);
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

/**
 * GeoJSON geometry (or a Feature's geometry) → Esri JSON with Esri winding (exterior clockwise,
 * holes counter-clockwise; GeoJSON's ring order decides which is which). Sets hasZ when
 * coordinates carry a third value. Returns null for a null geometry; throws GeometryError for
 * malformed input or a GeometryCollection.
 *
 * @example geoJSONToEsri({ type: 'Point', coordinates: [1, 2] }) // { x: 1, y: 2 }
 */
export function geoJSONToEsri(geojson: unknown): EsriGeometry | null {
  if (geojson === null) return null;
  if (typeof geojson !== 'object' || Array.isArray(geojson)) throw new GeometryError('Invalid GeoJSON: expected an object');
  const source = geojson as { type?: unknown; coordinates?: unknown; geometry?: unknown };
  if (source.type === 'Feature') return geoJSONToEsri(source.geometry ?? null);
  const coordinates = source.coordinates;
  if (!Array.isArray(coordinates)) throw new GeometryError('Invalid GeoJSON: coordinates must be an array');
  const geometry = convertGeoJSON(String(source.type), coordinates);
  if (hasThirdOrdinate(coordinates)) geometry.hasZ = true;
  return validateEsriGeometry(geometry);
}

function convertGeoJSON(type: string, coordinates: unknown[]): EsriGeometry {
  switch (type) {
    case 'Point': {
      const [x, y, z] = coordinates as number[];
      return z === undefined ? { x, y } : { x, y, z };
    }
    case 'MultiPoint':
      return { points: coordinates as Position[] };
    case 'LineString':
      return { paths: [coordinates as Position[]] };
    case 'MultiLineString':
      return { paths: coordinates as Position[][] };
    case 'Polygon':
      return { rings: toEsriWinding(coordinates as Position[][]) };
    case 'MultiPolygon':
      if (coordinates.some((polygon) => !Array.isArray(polygon))) throw new GeometryError('Invalid GeoJSON: polygons must be arrays');
      return { rings: (coordinates as Position[][][]).flatMap(toEsriWinding) };
    case 'GeometryCollection':
      throw new GeometryError('Invalid GeoJSON: GeometryCollection is not supported');
    default:
      throw new GeometryError(`Invalid GeoJSON: unknown geometry type ${type}`);
  }
}

/** Checks and closes one polygon's rings, then winds them the Esri way by their GeoJSON role. */
function toEsriWinding(rings: Position[][]): Position[][] {
  const { rings: checked } = validateEsriGeometry({ rings }, 'esriGeometryPolygon') as { rings: Position[][] };
  return checked.map((ring, i) => orientRing(ring, i === 0));
}

function hasThirdOrdinate(coordinates: unknown): boolean {
  let value: unknown = coordinates;
  while (Array.isArray(value) && Array.isArray(value[0])) value = value[0];
  return Array.isArray(value) && value.length >= 3;
}
