import type gdal from 'gdal-async';
import { inTurn } from '../../in-turn.js';
import { readsThisServer } from '../../raster/gdal-egress.js';
import { GMF_ALL_VALID } from '../../raster/read-reduced.js';
import type { CatalogItem, CollectionRecord } from '../store/catalog-store.js';
import { datasetPool, type DatasetPool } from './dataset-pool.js';
import { isSupportedPixelType } from './pixel-block.js';
import { pointTransformer, resolveSrs, type ResolvedSrs } from './srs-cache.js';
import { warpDatasets } from './warp-items.js';

/**
 * The values of each item at each point (points in the collection's SR), read at the item's
 * full resolution from the pixel containing the point: `result[item][point]` is the list of
 * band values, or null where the item has no data there (outside it, masked, or no data).
 * Reads run off the event loop, one 1×1 window per band.
 *
 * @example const [[values]] = await sampleItems([item], [[500120.5, 4100300.2]], collection);
 */
export async function sampleItems(
  items: CatalogItem[],
  points: Array<[number, number]>,
  collection: CollectionRecord,
  signal?: AbortSignal,
  pool: DatasetPool = datasetPool,
): Promise<Array<Array<number[] | null>>> {
  const collectionSrs = resolveSrs(collection);
  const sample = (item: CatalogItem) =>
    pool.withDatasets([item.path], async ([dataset]): Promise<Array<number[] | null>> => {
      if (!dataset) return points.map(() => null);
      if (!item.raster.geoTransform) return sampleByWarping(dataset, item, points, collectionSrs, signal);
      const pixels = toPixels(item, points, collectionSrs);
      const out: Array<number[] | null> = [];
      for (const pixel of pixels) {
        signal?.throwIfAborted();
        out.push(pixel ? await readPixel(dataset, item, pixel) : null);
      }
      return out;
    });
  // Items read from this server one after the other (a pool thread each, see DatasetPool.withDatasets).
  return items.some((item) => readsThisServer(item.path)) ? inTurn(items, sample) : Promise.all(items.map(sample));
}

/** Column/row of each point in the item's raster, or null when it falls outside. */
function toPixels(item: CatalogItem, points: Array<[number, number]>, collectionSrs: ResolvedSrs): Array<[number, number] | null> {
  const { geoTransform: gt, width, height, srsWkt, epsg } = item.raster;
  const itemSrs = srsWkt ? resolveSrs({ srsWkt, epsg }) : collectionSrs;
  const transform = pointTransformer(collectionSrs, itemSrs);
  const [x0, a, b, y0, c, d] = gt!;
  const det = a * d - b * c;
  return points.map(([x, y]) => {
    const p = transform(x, y);
    if (!p || det === 0) return null;
    const dx = p[0] - x0;
    const dy = p[1] - y0;
    const col = Math.floor((d * dx - b * dy) / det);
    const row = Math.floor((a * dy - c * dx) / det);
    return col >= 0 && row >= 0 && col < width && row < height ? [col, row] : null;
  });
}

/**
 * Items placed by GCPs or RPCs (UAV frames, scenes) have no geotransform to invert: each point
 * is warped instead, on a one-pixel grid at the item's resolution.
 */
async function sampleByWarping(dataset: gdal.Dataset, item: CatalogItem, points: Array<[number, number]>, collectionSrs: ResolvedSrs, signal?: AbortSignal): Promise<Array<number[] | null>> {
  const size = Number(item.fields.LowPS) || 1;
  const bandCount = item.raster.colorInterpretations.filter((c) => c !== 'Alpha').length || item.raster.bandCount;
  const pixelType = isSupportedPixelType(item.raster.pixelType) ? item.raster.pixelType : 'F64';
  const out: Array<number[] | null> = [];
  for (const [x, y] of points) {
    const grid = { bbox: { xmin: x - size / 2, xmax: x + size / 2, ymin: y - size / 2, ymax: y + size / 2 }, width: 1, height: 1, srs: collectionSrs };
    const block = await warpDatasets([dataset], grid, { resampling: 'near', bandCount, pixelType, signal });
    out.push(block.mask[0] === 0 ? null : block.bands.map((band) => band[0]));
  }
  return out;
}

async function readPixel(dataset: gdal.Dataset, item: CatalogItem, [col, row]: [number, number]): Promise<number[] | null> {
  const dataBands = item.raster.colorInterpretations.filter((c) => c !== 'Alpha').length || item.raster.bandCount;
  const first = await dataset.bands.getAsync(1);
  if (!(first.getMaskFlags() & GMF_ALL_VALID)) {
    const maskBand = first.getMaskBand();
    const mask = maskBand ? await maskBand.pixels.readAsync(col, row, 1, 1, new Uint8Array(1)) : null;
    if (mask && mask[0] === 0) return null;
  }
  const values: number[] = [];
  for (let b = 1; b <= dataBands; b++) {
    const band = await dataset.bands.getAsync(b);
    const [value] = await band.pixels.readAsync(col, row, 1, 1, new Float64Array(1));
    const noData = item.raster.noData[b - 1];
    if (Number.isNaN(value) || (noData !== null && noData !== undefined && value === noData)) return null;
    values.push(value);
  }
  return values;
}
