import type { SpatialReference } from '../../geometry/spatial-reference.js';
import type { Bounds } from '../../raster/transform-bounds.js';
import { moveBounds, pointTransformer, resolveSrs, type ResolvedSrs } from './srs-cache.js';

/** The pixel grid of an output image: north-up, square or not, in `srs`. */
export interface RenderGrid {
  bbox: Bounds;
  width: number;
  height: number;
  srs: ResolvedSrs;
}

/**
 * The grid of an exportImage request: `bbox` (in `bboxSrs`) moved to the image SR, then, with
 * `adjustAspectRatio`, widened around its centre so that pixels are square (ArcGIS default).
 *
 * @example buildGrid({ xmin: 0, ymin: 0, xmax: 100, ymax: 50 }, sr, sr, 100, 100, true).bbox
 * // → { xmin: 0, ymin: -25, xmax: 100, ymax: 75 }
 */
export function buildGrid(bbox: Bounds, bboxSrs: ResolvedSrs, imageSrs: ResolvedSrs, width: number, height: number, adjustAspectRatio: boolean): RenderGrid {
  let box = moveBounds(bbox, bboxSrs, imageSrs);
  if (adjustAspectRatio) box = squarePixels(box, width, height);
  return { bbox: box, width, height, srs: imageSrs };
}

export function squarePixels(b: Bounds, width: number, height: number): Bounds {
  const rx = (b.xmax - b.xmin) / width;
  const ry = (b.ymax - b.ymin) / height;
  if (rx === ry || rx <= 0 || ry <= 0) return b;
  const r = Math.max(rx, ry);
  const cx = (b.xmin + b.xmax) / 2;
  const cy = (b.ymin + b.ymax) / 2;
  return { xmin: cx - (r * width) / 2, xmax: cx + (r * width) / 2, ymin: cy - (r * height) / 2, ymax: cy + (r * height) / 2 };
}

/** GDAL geotransform of the grid. */
export function gridGeoTransform(grid: RenderGrid): number[] {
  return [grid.bbox.xmin, (grid.bbox.xmax - grid.bbox.xmin) / grid.width, 0, grid.bbox.ymax, 0, -(grid.bbox.ymax - grid.bbox.ymin) / grid.height];
}

/** The grid grown by `margin` pixels on every side (neighbourhood functions such as Hillshade). */
export function expandGrid(grid: RenderGrid, margin: number): RenderGrid {
  if (margin <= 0) return grid;
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  return {
    ...grid,
    bbox: { xmin: grid.bbox.xmin - margin * rx, xmax: grid.bbox.xmax + margin * rx, ymin: grid.bbox.ymin - margin * ry, ymax: grid.bbox.ymax + margin * ry },
    width: grid.width + 2 * margin,
    height: grid.height + 2 * margin,
  };
}

const EARTH_RADIUS = 6371008.8;
const WGS84: SpatialReference = { wkid: 4326 };

/**
 * Ground size in metres of the grid's centre pixel (x, y): slope-based functions need metres
 * whatever the grid's units (degrees, or Web Mercator's stretched metres).
 */
export function groundCellSize(grid: RenderGrid): [number, number] {
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  const cx = (grid.bbox.xmin + grid.bbox.xmax) / 2;
  const cy = (grid.bbox.ymin + grid.bbox.ymax) / 2;
  const toWgs84 = pointTransformer(grid.srs, resolveSrs(WGS84));
  const centre = toWgs84(cx, cy);
  const right = toWgs84(cx + rx, cy);
  const down = toWgs84(cx, cy - ry);
  if (!centre || !right || !down) return [rx, ry];
  return [haversine(centre, right), haversine(centre, down)];
}

function haversine([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Map scale of the grid as ArcGIS reports it: metres per pixel at 96 dpi. */
export function gridScale(grid: RenderGrid): number {
  const resolution = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const metresPerUnit = grid.srs.gdal.isGeographic() ? (Math.PI * 6378137) / 180 : grid.srs.gdal.getLinearUnits().value;
  return (resolution * metresPerUnit * 96) / 0.0254;
}
