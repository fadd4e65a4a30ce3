import type { CollectionRecord } from '../store/catalog-store.js';
import { moveBounds, resolveSrs } from './srs-cache.js';

/** The ArcGIS Online / Google Web Mercator tiling scheme: 256-pixel tiles, level 0 = one tile. */
export const WEB_MERCATOR_ORIGIN = { x: -20037508.342787, y: 20037508.342787 };
const LEVEL0_RESOLUTION = 156543.03392800014;
const LEVEL0_SCALE = 591657527.591555;
const TILE_SIZE = 256;
const MAX_LEVEL = 23;

export interface Lod {
  level: number;
  resolution: number;
  scale: number;
}

/**
 * The levels worth caching for a collection: from 0 down to the first level at least as fine as
 * the collection's finest pixels (measured in Web Mercator at the collection's centre).
 *
 * @example collectionLods(collection).at(-1)?.level // 18 for 0.5 m imagery at mid latitudes
 */
export function collectionLods(collection: CollectionRecord): Lod[] {
  const last = finestLevel(collection);
  return Array.from({ length: last + 1 }, (_, level) => ({ level, resolution: LEVEL0_RESOLUTION / 2 ** level, scale: LEVEL0_SCALE / 2 ** level }));
}

function finestLevel(collection: CollectionRecord): number {
  const { extent, pixelSizeX } = collection.summary;
  if (!extent || !pixelSizeX) return 0;
  let mercator;
  try {
    mercator = moveBounds(extent, resolveSrs(collection), resolveSrs({ wkid: 3857 }));
  } catch {
    return 0;
  }
  const columns = (extent.xmax - extent.xmin) / pixelSizeX;
  const resolution = (mercator.xmax - mercator.xmin) / Math.max(1, columns);
  if (!(resolution > 0)) return 0;
  return Math.max(0, Math.min(MAX_LEVEL, Math.ceil(Math.log2(LEVEL0_RESOLUTION / resolution))));
}

/** The Web Mercator bounds of a tile. */
export function tileBounds(level: number, row: number, col: number): { xmin: number; ymin: number; xmax: number; ymax: number } {
  const span = (LEVEL0_RESOLUTION / 2 ** level) * TILE_SIZE;
  const xmin = WEB_MERCATOR_ORIGIN.x + col * span;
  const ymax = WEB_MERCATOR_ORIGIN.y - row * span;
  return { xmin, ymin: ymax - span, xmax: xmin + span, ymax };
}

/** True when row and col exist at the level. */
export function isTileInRange(level: number, row: number, col: number): boolean {
  const count = 2 ** level;
  return Number.isInteger(row) && Number.isInteger(col) && row >= 0 && col >= 0 && row < count && col < count;
}

/** `tileInfo` of the service JSON. */
export function tileInfoOf(collection: CollectionRecord): Record<string, unknown> {
  return {
    rows: TILE_SIZE,
    cols: TILE_SIZE,
    dpi: 96,
    format: 'MIXED',
    compressionQuality: 75,
    origin: WEB_MERCATOR_ORIGIN,
    spatialReference: { wkid: 102100, latestWkid: 3857 },
    lods: collectionLods(collection),
  };
}

export { TILE_SIZE };
