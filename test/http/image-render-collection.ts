import { randomUUID } from 'node:crypto';
import gdal from 'gdal-async';
import sharp from 'sharp';
import type { NewCatalogItem } from '../../src/imagery/store/catalog-store.js';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { computeFootprint } from '../../src/raster/compute-footprint.js';
import { inspectRaster } from '../../src/raster/inspect-raster.js';
import { describeRaster } from '../../src/tasks/image-collection/ingest-image.js';
import { writeRaster, type RasterSpec } from '../fixtures/raster/write-raster.js';
import type { TestServer } from '../helpers/test-server.js';

export interface CollectionImage {
  path: string;
  name: string;
  zOrder?: number;
  attributes?: Record<string, unknown>;
  acquisitionDate?: number;
}

/**
 * Publishes files as an image collection the way CreateImageCollection leaves one (by reference):
 * catalog rows with footprints, pixel sizes and statistics read with the raster library, and a
 * `Hosted/<name>/ImageServer` service pointing at it. Returns the collection id and service path.
 */
export async function publishTestCollection(
  server: TestServer,
  name: string,
  epsg: number,
  images: CollectionImage[],
  options: { access?: 'public' | 'private'; capabilities?: string; minPs?: number; maxPsFactor?: number } = {},
): Promise<{ collectionId: string; path: string }> {
  const catalog = catalogStoreFor(server.context.config);
  const items: NewCatalogItem[] = [];
  for (const image of images) {
    const info = await inspectRaster(image.path);
    const footprint = await computeFootprint(image.path, epsg);
    const pixelSize = ((info.pixelSizeX ?? 1) + (info.pixelSizeY ?? 1)) / 2;
    const coarsest = Math.max(1, ...info.overviewFactors);
    items.push({
      name: image.name,
      footprint: footprint.rings as [number, number][][],
      lowPs: pixelSize,
      highPs: pixelSize * coarsest,
      minPs: options.minPs ?? 0,
      maxPs: options.maxPsFactor === undefined ? 0 : pixelSize * coarsest * options.maxPsFactor,
      zOrder: image.zOrder ?? null,
      acquisitionDate: image.acquisitionDate ?? null,
      rasterType: 'Raster Dataset',
      source: image.path,
      path: image.path,
      byValue: false,
      attributes: image.attributes,
      raster: await describeRaster(info, image.path),
    });
  }
  const collectionId = randomUUID();
  const extraFields = [...new Set(images.flatMap((i) => Object.keys(i.attributes ?? {})))].map((field) => ({ name: field, type: 'esriFieldTypeDouble' as const }));
  await catalog.createCollection(
    {
      id: collectionId,
      name,
      owner: 'admin',
      collectionType: 'UAV/UAS',
      srsWkt: gdal.SpatialReference.fromEPSG(epsg).toWKT(),
      epsg,
      properties: { rasterTypes: ['Raster Dataset'], extraFields },
      jobId: null,
    },
    items,
  );
  const now = Date.now();
  await server.context.stores.services.create({
    folder: 'Hosted',
    name,
    type: 'ImageServer',
    owner: 'admin',
    itemId: null,
    access: options.access ?? 'public',
    definition: { collectionId, capabilities: options.capabilities ?? 'Image,Metadata,Catalog,Mensuration' },
    created: now,
    modified: now,
  });
  return { collectionId, path: `/rest/services/Hosted/${name}/ImageServer` };
}

/** A tiled GeoTIFF with internal overviews, like the COGs ingest writes. */
export function writeTiledRaster(file: string, spec: RasterSpec): Promise<string> {
  return writeRaster(file, { creationOptions: ['TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256'], overviews: [2, 4], ...spec });
}

/** Decoded image pixels, interleaved, as sharp reads PNG/JPEG. */
export async function decodeImage(bytes: Buffer | ArrayBuffer): Promise<{ data: Uint8Array; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(Buffer.from(bytes as ArrayBuffer)).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels };
}

/**
 * The reference: gdalwarp (in-process) of the files on the grid, each later file over the earlier
 * ones, with an alpha band; returns planar bands and the alpha.
 */
export async function referenceWarp(
  files: string[],
  grid: { bbox: [number, number, number, number]; width: number; height: number; srs: string },
  resampling = 'near',
): Promise<{ bands: Float64Array[]; alpha: Uint8Array }> {
  const datasets = await Promise.all(files.map((f) => gdal.openAsync(f)));
  try {
    const out = await gdal.warpAsync('ref', null, datasets, [
      '-of', 'MEM', '-te', ...grid.bbox.map(String), '-ts', String(grid.width), String(grid.height),
      '-t_srs', grid.srs, '-r', resampling, '-dstalpha', '-wo', 'DST_ALPHA_MAX=255',
    ]);
    const n = out.bands.count();
    const bands = [];
    for (let b = 1; b < n; b++) bands.push(out.bands.get(b).pixels.read(0, 0, grid.width, grid.height, new Float64Array(grid.width * grid.height)));
    const alpha = out.bands.get(n).pixels.read(0, 0, grid.width, grid.height, new Uint8Array(grid.width * grid.height), { data_type: gdal.GDT_Byte });
    out.close();
    return { bands, alpha };
  } finally {
    datasets.forEach((d) => d.close());
  }
}

/** Three overlapping RGB images in UTM 11N at 1 m: A reddish, B greenish, C bluish with a no-data (0) border. */
export interface OverlapImages {
  a: string;
  b: string;
  c: string;
  epsg: 32611;
}

export async function makeOverlapImages(dir: string): Promise<OverlapImages> {
  const variation = (c: number, r: number) => (c * 3 + r * 5) % 40;
  const a = await writeTiledRaster(`${dir}/a.tif`, {
    width: 300, height: 200, bands: 3, srs: 'EPSG:32611', geoTransform: [500000, 1, 0, 4100300, 0, -1],
    value: (c, r, b) => [200, 60, 40][b - 1] + variation(c, r),
  });
  const b = await writeTiledRaster(`${dir}/b.tif`, {
    width: 300, height: 200, bands: 3, srs: 'EPSG:32611', geoTransform: [500150, 1, 0, 4100250, 0, -1],
    value: (c, r, band) => [50, 190, 70][band - 1] + variation(c, r),
  });
  const c = await writeTiledRaster(`${dir}/c.tif`, {
    width: 200, height: 200, bands: 3, srs: 'EPSG:32611', geoTransform: [500100, 1, 0, 4100150, 0, -1], noData: 0,
    value: (col, row, band) => (col >= 20 && col < 180 && row >= 20 && row < 180 ? [60, 80, 200][band - 1] + variation(col, row) : 0),
  });
  return { a, b, c, epsg: 32611 };
}
