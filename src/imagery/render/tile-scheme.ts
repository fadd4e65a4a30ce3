import { createHash } from 'node:crypto';
import type { SpatialReference } from '../../geometry/spatial-reference.js';
import type { CollectionRecord } from '../store/catalog-store.js';
import { moveBounds, resolveSrs, type ResolvedSrs } from './srs-cache.js';

/** The ArcGIS Online / Google Web Mercator tiling scheme: 256-pixel tiles, level 0 = one tile. */
export const WEB_MERCATOR_ORIGIN = { x: -20037508.342787, y: 20037508.342787 };
const TILE_SIZE = 256;
const MAX_LEVEL = 23;
// ArcGIS Online's level-0 scale and resolution (metres at 96 dpi); every scheme halves them per level.
const LEVEL0_SCALE = 591657527.591555;
const LEVEL0_METRES = 156543.03392800014;
// ArcGIS's default XY domain corner for UTM / Transverse Mercator references: where its caches
// in those SRs start (origin -5120900, 9998100), whatever the zone.
const PROJECTED_ORIGIN = { x: -5120900, y: 9998100 };

/** A tiling scheme: where tile (0, 0) starts, level 0's pixel size, and how many tiles level 0 has. */
export interface TileScheme {
  /** Names the scheme in the tile cache and ETags: tiles of another scheme are other tiles. */
  key: string;
  /** The reference tiles are drawn in: always the collection's own, as ArcGIS caches are. */
  srs: ResolvedSrs;
  spatialReference: SpatialReference;
  origin: { x: number; y: number };
  level0Resolution: number;
  level0Scale: number;
  level0Columns: number;
  level0Rows: number;
}

/**
 * The scheme of a collection's tiles, in the service's own spatial reference, as ArcGIS Image
 * Server caches are (only its ArcGIS Online scheme may differ from the service's SR, and then
 * clients misplace it): QGIS and the SDK's ImageryTileLayer lay `tileInfo` over the service SR
 * whatever `tileInfo.spatialReference` says.
 * - Web Mercator: the ArcGIS Online scheme.
 * - Geographic: ArcGIS's WGS84 scheme (origin −180, 90; level 0 two tiles at 0.703125°).
 * - Projected (UTM, national grids): ArcGIS Online's scales in the SR's units, origin at
 *   ArcGIS's default (−5120900, 9998100), moved out when the data lies beyond it.
 *
 * @example tileSchemeOf(utm33Collection).origin // { x: -5120900, y: 9998100 }
 */
export function tileSchemeOf(collection: Pick<CollectionRecord, 'epsg' | 'srsWkt' | 'summary'>): TileScheme {
  const srs = resolveSrs({ srsWkt: collection.srsWkt, epsg: collection.epsg });
  if (srs.epsg === 3857) return scheme(srs, WEB_MERCATOR_ORIGIN, LEVEL0_METRES, 1, 1);
  if (srs.gdal.isGeographic()) return scheme(srs, { x: -180, y: 90 }, 0.703125, 2, 1);
  if (!srs.gdal.isProjected()) return scheme(resolveSrs({ wkid: 3857 }), WEB_MERCATOR_ORIGIN, LEVEL0_METRES, 1, 1);
  const resolution = LEVEL0_METRES / srs.gdal.getLinearUnits().value;
  const extent = collection.summary.extent;
  const origin = {
    x: Math.min(PROJECTED_ORIGIN.x, Math.floor(extent?.xmin ?? 0)),
    y: Math.max(PROJECTED_ORIGIN.y, Math.ceil(extent?.ymax ?? 0)),
  };
  // Level 0 spans enough tiles to hold the data (one for any UTM zone).
  const span = resolution * TILE_SIZE;
  const columns = Math.max(1, Math.ceil(((extent?.xmax ?? origin.x) - origin.x) / span));
  const rows = Math.max(1, Math.ceil((origin.y - (extent?.ymin ?? origin.y)) / span));
  return scheme(srs, origin, resolution, columns, rows);
}

function scheme(srs: ResolvedSrs, origin: { x: number; y: number }, level0Resolution: number, level0Columns: number, level0Rows: number): TileScheme {
  const key = createHash('sha1').update(`${srs.text}|${origin.x}|${origin.y}|${level0Resolution}`).digest('hex').slice(0, 12);
  return { key, srs, spatialReference: srs.json, origin, level0Resolution, level0Scale: LEVEL0_SCALE, level0Columns, level0Rows };
}

export interface Lod {
  level: number;
  resolution: number;
  scale: number;
}

/**
 * The levels worth caching for a collection: from 0 down to the first level at least as fine as
 * the collection's finest pixels (measured in the scheme's SR at the collection's centre).
 *
 * @example collectionLods(collection).at(-1)?.level // 18 for 0.5 m imagery at mid latitudes
 */
export function collectionLods(collection: CollectionRecord): Lod[] {
  const scheme = tileSchemeOf(collection);
  const last = finestLevel(collection, scheme);
  return Array.from({ length: last + 1 }, (_, level) => ({ level, resolution: scheme.level0Resolution / 2 ** level, scale: scheme.level0Scale / 2 ** level }));
}

function finestLevel(collection: CollectionRecord, scheme: TileScheme): number {
  const { extent, pixelSizeX } = collection.summary;
  if (!extent || !pixelSizeX) return 0;
  let moved;
  try {
    moved = moveBounds(extent, resolveSrs(collection), scheme.srs);
  } catch {
    return 0;
  }
  const columns = (extent.xmax - extent.xmin) / pixelSizeX;
  const resolution = (moved.xmax - moved.xmin) / Math.max(1, columns);
  if (!(resolution > 0)) return 0;
  return Math.max(0, Math.min(MAX_LEVEL, Math.ceil(Math.log2(scheme.level0Resolution / resolution))));
}

/** The bounds of a tile, in the scheme's SR. */
export function tileBounds(level: number, row: number, col: number, scheme: TileScheme): { xmin: number; ymin: number; xmax: number; ymax: number } {
  const span = (scheme.level0Resolution / 2 ** level) * TILE_SIZE;
  const xmin = scheme.origin.x + col * span;
  const ymax = scheme.origin.y - row * span;
  return { xmin, ymin: ymax - span, xmax: xmin + span, ymax };
}

/** True when row and col exist at the level. */
export function isTileInRange(level: number, row: number, col: number, scheme: TileScheme): boolean {
  const count = 2 ** level;
  return Number.isInteger(row) && Number.isInteger(col) && row >= 0 && col >= 0 && row < count * scheme.level0Rows && col < count * scheme.level0Columns;
}

/** `tileInfo` of the service JSON. */
export function tileInfoOf(collection: CollectionRecord): Record<string, unknown> {
  const scheme = tileSchemeOf(collection);
  return {
    rows: TILE_SIZE,
    cols: TILE_SIZE,
    dpi: 96,
    format: 'MIXED',
    compressionQuality: 75,
    origin: scheme.origin,
    spatialReference: scheme.spatialReference,
    lods: collectionLods(collection),
  };
}

export { TILE_SIZE };
