import type { CollectionRecord } from '../store/catalog-store.js';
import { moveBounds, resolveSrs } from './srs-cache.js';

/** The ArcGIS Online / Google Web Mercator tiling scheme: 256-pixel tiles, level 0 = one tile. */
export const WEB_MERCATOR_ORIGIN = { x: -20037508.342787, y: 20037508.342787 };
const TILE_SIZE = 256;
const MAX_LEVEL = 23;

/** A tiling scheme: where tile (0, 0) starts, level 0's pixel size, and how many tiles level 0 has. */
export interface TileScheme {
  epsg: 3857 | 4326;
  spatialReference: { wkid: number; latestWkid?: number };
  origin: { x: number; y: number };
  level0Resolution: number;
  level0Scale: number;
  level0Columns: number;
  level0Rows: number;
}

const WEB_MERCATOR: TileScheme = {
  epsg: 3857,
  spatialReference: { wkid: 102100, latestWkid: 3857 },
  origin: WEB_MERCATOR_ORIGIN,
  level0Resolution: 156543.03392800014,
  level0Scale: 591657527.591555,
  level0Columns: 1,
  level0Rows: 1,
};

// ArcGIS's WGS84 geographic scheme: level 0 is two 256-pixel tiles side by side, 0.703125°/pixel.
const WGS84: TileScheme = {
  epsg: 4326,
  spatialReference: { wkid: 4326 },
  origin: { x: -180, y: 90 },
  level0Resolution: 0.703125,
  level0Scale: 295828763.7958547,
  level0Columns: 2,
  level0Rows: 1,
};

/**
 * The scheme of a collection's tiles, in the service's own spatial reference — clients such as
 * QGIS read `tileInfo` in the service SR whatever `tileInfo.spatialReference` says, so a WGS84
 * collection advertising Web Mercator tiles made them ask tiles that do not exist. Collections
 * in other SRs keep the Web Mercator scheme.
 */
export function tileSchemeOf(collection: Pick<CollectionRecord, 'epsg'>): TileScheme {
  return collection.epsg === 4326 ? WGS84 : WEB_MERCATOR;
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
    moved = moveBounds(extent, resolveSrs(collection), resolveSrs({ wkid: scheme.epsg }));
  } catch {
    return 0;
  }
  const columns = (extent.xmax - extent.xmin) / pixelSizeX;
  const resolution = (moved.xmax - moved.xmin) / Math.max(1, columns);
  if (!(resolution > 0)) return 0;
  return Math.max(0, Math.min(MAX_LEVEL, Math.ceil(Math.log2(scheme.level0Resolution / resolution))));
}

/** The bounds of a tile, in the scheme's SR. */
export function tileBounds(level: number, row: number, col: number, scheme: TileScheme = WEB_MERCATOR): { xmin: number; ymin: number; xmax: number; ymax: number } {
  const span = (scheme.level0Resolution / 2 ** level) * TILE_SIZE;
  const xmin = scheme.origin.x + col * span;
  const ymax = scheme.origin.y - row * span;
  return { xmin, ymin: ymax - span, xmax: xmin + span, ymax };
}

/** True when row and col exist at the level. */
export function isTileInRange(level: number, row: number, col: number, scheme: TileScheme = WEB_MERCATOR): boolean {
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
