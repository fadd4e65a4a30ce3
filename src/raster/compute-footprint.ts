import { randomUUID } from 'node:crypto';
import gdal from 'gdal-async';
import { openRaster } from './inspect-raster.js';
import { toEsriRings, type EsriPolygon } from './esri-rings.js';
import { createPointTransformer } from './point-transformer.js';
import { RasterError, throwIfAborted } from './raster-error.js';
import { readValidMask, type ValidMask } from './read-valid-mask.js';
import { toSpatialReference, type SrsInput } from './srs-input.js';
import { densifyRing, type Ring } from './transform-bounds.js';

export interface FootprintOptions {
  /** Longest side of the grid the valid-data mask is read at (default 512 cells). */
  maxSize?: number;
  /** Vertices added per edge of the outline before projecting (default 8). */
  pointsPerEdge?: number;
  signal?: AbortSignal;
}

/**
 * The outline of a raster's valid data, as an Esri polygon in `targetSrs` (GDAL 3.6 has no
 * gdal_footprint). Reads the valid-data mask on a small grid (readValidMask), drops specks with a
 * sieve, polygonizes, unions what is left, drops holes (a footprint is a coverage outline),
 * simplifies to one grid cell, densifies and transforms. Rasters whose every cell is valid get
 * their densified outline directly. An all-fill raster gives `{ rings: [] }`.
 *
 * Works for GCP- or RPC-referenced rasters too (UAV frame VRTs): they are first warped to a
 * virtual north-up grid. Runs on the libuv pool; `signal` is checked between steps.
 *
 * @example
 * const { rings } = await computeFootprint('/store/a.tif', { wkid: 4326 });
 */
export async function computeFootprint(source: string, targetSrs: SrsInput, options: FootprintOptions = {}): Promise<EsriPolygon> {
  const target = toSpatialReference(targetSrs);
  const opened = await openRaster(source);
  let dataset = opened;
  // A GCP/RPC raster is read through a warped VRT kept in GDAL's in-memory filesystem.
  const gridPath = `/vsimem/tessera-footprint-${randomUUID()}.vrt`;
  try {
    dataset = await toGriddedDataset(opened, gridPath);
    const gt = await dataset.geoTransformAsync;
    const srs = await dataset.srsAsync;
    if (!gt || !srs) throw new RasterError('RASTER_NOT_GEOREFERENCED', 'The raster has no georeference, so it has no footprint');
    throwIfAborted(options.signal);
    const mask = await readValidMask(dataset, options.maxSize ?? 512);
    throwIfAborted(options.signal);
    const { x: width, y: height } = await dataset.rasterSizeAsync;
    const grid = [gt[0], (gt[1] * width) / mask.width, (gt[2] * height) / mask.height, gt[3], (gt[4] * width) / mask.width, (gt[5] * height) / mask.height];
    const polygons = mask.invalidCount === 0 ? [[outlineOf(grid, mask.width, mask.height)]] : await polygonizeMask(mask, grid, srs);
    const transform = createPointTransformer(srs, target);
    const pointsPerEdge = options.pointsPerEdge ?? 8;
    const rings = polygons.map((polygon) =>
      polygon.map((ring) => {
        const moved = densifyRing(ring, pointsPerEdge).map(([x, y]) => transform(x, y));
        if (moved.some((p) => p === null)) throw new RasterError('RASTER_TRANSFORM_FAILED', 'The footprint cannot be transformed to the target spatial reference');
        return dropRepeats(moved as Ring);
      }),
    );
    return { rings: toEsriRings(rings) };
  } finally {
    if (dataset !== opened) {
      dataset.close();
      gdal.vsimem.release(gridPath);
    }
    opened.close();
  }
}

/** Rasters placed by GCPs or RPCs have no geotransform: warp them to a virtual grid first. */
async function toGriddedDataset(dataset: gdal.Dataset, vrtPath: string): Promise<gdal.Dataset> {
  if (await dataset.geoTransformAsync) return dataset;
  const hasGcps = dataset.getGCPs().length >= 3;
  const hasRpc = Object.keys((await dataset.getMetadataAsync('RPC')) as Record<string, string>).length > 0;
  if (!hasGcps && !hasRpc) return dataset;
  return gdal.warpAsync(vrtPath, null, [dataset], ['-of', 'VRT', ...(hasGcps ? ['-order', '1'] : ['-rpc']), '-dstalpha']);
}

/** Polygonizes the valid cells; returns polygons (exterior rings only) in the raster's CRS. */
async function polygonizeMask(mask: ValidMask, grid: number[], srs: gdal.SpatialReference): Promise<Ring[][]> {
  const raster = await gdal.drivers.get('MEM').createAsync('', mask.width, mask.height, 1, 'Byte');
  const vector = await gdal.drivers.get('Memory').createAsync('footprint', 0, 0, 0);
  try {
    raster.geoTransform = grid;
    const band = await raster.bands.getAsync(1);
    await band.pixels.writeAsync(0, 0, mask.width, mask.height, mask.data);
    // Specks of a few cells (noise, isolated fill values) are merged into their surroundings.
    const threshold = Math.max(4, Math.round((mask.width * mask.height) / 2000));
    await gdal.sieveFilterAsync({ src: band, dst: band, threshold, connectedness: 8 });
    const layer = await vector.layers.createAsync('cells', srs, gdal.wkbPolygon);
    layer.fields.add(new gdal.FieldDefn('valid', gdal.OFTInteger));
    await gdal.polygonizeAsync({ src: band, mask: band, dst: layer, pixValField: 0, connectedness: 8 });
    const union = new gdal.MultiPolygon();
    for await (const feature of layer.features) {
      const geometry = feature.getGeometry();
      if (geometry instanceof gdal.Polygon) union.children.add(outerOnly(geometry));
    }
    if (union.children.count() === 0) return [];
    const cell = Math.max(Math.hypot(grid[1], grid[4]), Math.hypot(grid[2], grid[5]));
    const merged = await union.unionCascaded().simplifyPreserveTopologyAsync(cell);
    return polygonsOf(merged);
  } finally {
    raster.close();
    vector.close();
  }
}

function outerOnly(polygon: gdal.Polygon): gdal.Polygon {
  const out = new gdal.Polygon();
  out.rings.add(polygon.rings.get(0));
  return out;
}

/** Exterior rings of a Polygon or MultiPolygon, each as a one-ring polygon. */
function polygonsOf(geometry: gdal.Geometry): Ring[][] {
  const json = geometry.toObject() as { type: string; coordinates: number[][][] | number[][][][] };
  const polygons = json.type === 'Polygon' ? [json.coordinates as number[][][]] : json.type === 'MultiPolygon' ? (json.coordinates as number[][][][]) : [];
  return polygons.map((p) => [p[0].map(([x, y]) => [x, y] as [number, number])]);
}

function outlineOf(gt: number[], width: number, height: number): Ring {
  return [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
    [0, 0],
  ].map(([c, r]) => [gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5]] as [number, number]);
}

function dropRepeats(ring: Ring): Ring {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
}
