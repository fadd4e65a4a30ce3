import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import type { CollectionOverviews } from './collection-overview.js';
import { encodeDisplay, type EncodedImage } from './encode-image.js';
import { DEFAULT_MOSAIC_RULE } from './mosaic-rule.js';
import { recycleBlock } from './pixel-buffers.js';
import { renderPixels } from './render-pixels.js';
import { TILE_SIZE, tileBounds, tileSchemeOf } from './tile-scheme.js';
import { isRgbInOrder, toDisplay } from './to-display.js';
import { dataBandCount } from './collection-pixels.js';

/**
 * One map tile of the collection (in its tiling scheme, tile-scheme.ts) with the service defaults (NorthWest, first,
 * bilinear): JPEG when every pixel has data, PNG with transparency otherwise; null when no item
 * reaches the tile (the cache remembers it as empty).
 */
export async function renderTile(catalog: CatalogStore, collection: CollectionRecord, level: number, row: number, col: number, overviews?: CollectionOverviews, signal?: AbortSignal): Promise<EncodedImage | null> {
  const scheme = tileSchemeOf(collection);
  const grid = { bbox: tileBounds(level, row, col, scheme), width: TILE_SIZE, height: TILE_SIZE, srs: scheme.srs };
  const rendered = await renderPixels(catalog, { collection, grid, mosaicRule: DEFAULT_MOSAIC_RULE, renderingRule: null, resampling: 'bilinear', overviews, signal, interleave: isRgbInOrder(dataBandCount(collection), collection.summary.colorInterpretations) });
  if (!rendered.block.mask.some((m) => m > 0)) return null;
  const display = toDisplay(rendered.block, { statistics: rendered.statistics, colorInterpretations: collection.summary.colorInterpretations });
  const image = await encodeDisplay(display, 'jpgpng', 75);
  recycleBlock(rendered.block); // encoded: nothing else holds these pixels
  return image;
}
