import { ApiError } from '../../errors.js';
import { envelopesIntersect } from '../../geometry/envelope.js';
import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import type { CollectionOverviews } from './collection-overview.js';
import { convertBlock } from './convert-pixel-type.js';
import { encodeDisplay, type EncodedImage } from './encode-image.js';
import { encodeRaster } from './encode-raster.js';
import { isRasterFormat, type ExportRequest } from './export-params.js';
import { recycleBlock } from './pixel-buffers.js';
import { buildGrid, type RenderGrid } from './render-grid.js';
import { renderPixels } from './render-pixels.js';
import type { RuleRasterResolver } from './rule-rasters.js';
import { moveBounds, resolveSrs } from './srs-cache.js';
import { isRgbInOrder, toDisplay } from './to-display.js';
import { dataBandCount } from './collection-pixels.js';

export interface ExportResult {
  image: EncodedImage;
  /** The grid actually rendered (bbox widened for square pixels), in the image SR. */
  grid: RenderGrid;
  /** OBJECTIDs of the items drawn, top first. */
  itemIds: number[];
}

/**
 * exportImage: the grid from bbox/size/SRs, the processed pixels, then the encoding asked for.
 * Display formats (PNG, JPEG…) get 8-bit channels (clipped to `pixelType` when one is given,
 * else stretched when not 8-bit); TIFF/LERC/BIP/BSQ keep values in `pixelType`.
 *
 * @example const { image } = await exportImage(catalog, collection, readExportRequest(params));
 */
export async function exportImage(catalog: CatalogStore, collection: CollectionRecord, request: ExportRequest, overviews?: CollectionOverviews, signal?: AbortSignal, rasters?: RuleRasterResolver): Promise<ExportResult> {
  const collectionSrs = resolveSrs(collection);
  const bboxSrs = request.bboxSR ? resolveSrs(request.bboxSR, 'bboxSR') : collectionSrs;
  const imageSrs = request.imageSR ? resolveSrs(request.imageSR, 'imageSR') : collectionSrs;
  let grid: RenderGrid;
  try {
    grid = buildGrid(request.bbox, bboxSrs, imageSrs, request.width, request.height, request.adjustAspectRatio);
  } catch {
    throw ApiError.invalidParameter("'bbox' parameter is invalid: it cannot be projected to the image's spatial reference");
  }
  if (request.validateExtent) checkExtent(grid, collection);
  const rendered = await renderPixels(catalog, {
    collection,
    grid,
    mosaicRule: request.mosaicRule,
    renderingRule: request.renderingRule,
    resampling: request.resampling,
    bandIds: request.bandIds,
    noData: request.noData,
    noDataMatchAll: request.noDataMatchAll,
    overviews,
    signal,
    rasters,
    interleave: showsAsRead(request, collection),
  });
  const itemIds = rendered.items.map((item) => item.objectId);
  if (isRasterFormat(request.format)) {
    const image = await encodeRaster(rendered.block, grid, request.format, {
      pixelType: request.pixelType ?? rendered.block.pixelType,
      noData: request.noData,
      compression: request.compression,
      quality: request.quality,
      lercVersion: request.lercVersion,
      compressionTolerance: request.compressionTolerance,
    });
    return { image, grid, itemIds };
  }
  const block = request.pixelType ? convertBlock(rendered.block, request.pixelType) : rendered.block;
  const display = toDisplay(block, {
    statistics: rendered.statistics,
    colorInterpretations: rendered.raw && !request.bandIds ? collection.summary.colorInterpretations : [],
  });
  const image = await encodeDisplay(display, request.format, request.quality);
  // Encoded: the pixels are no longer needed, and nothing else holds them.
  recycleBlock(rendered.block);
  return { image, grid, itemIds };
}

/** The collection's own RGB pixels encoded as read: they may come pixel-interleaved (to-display.ts). */
function showsAsRead(request: ExportRequest, collection: CollectionRecord): boolean {
  if (isRasterFormat(request.format) || request.pixelType || request.bandIds || request.noData || request.renderingRule) return false;
  return isRgbInOrder(dataBandCount(collection), collection.summary.colorInterpretations);
}

function checkExtent(grid: RenderGrid, collection: CollectionRecord): void {
  const extent = collection.summary.extent;
  let area;
  try {
    area = moveBounds(grid.bbox, grid.srs, resolveSrs(collection));
  } catch {
    area = null;
  }
  if (!extent || !area || !envelopesIntersect(area, extent)) {
    throw ApiError.invalidParameter('The requested extent does not intersect the extent of the image service (validateExtent).');
  }
}
