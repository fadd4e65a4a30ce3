import gdal from 'gdal-async';

/** Transforms one x/y (easting/northing or longitude/latitude) pair; null when it cannot. */
export type PointTransformer = (x: number, y: number) => [number, number] | null;

/**
 * A coordinate transformation that always takes and returns x = easting/longitude.
 *
 * gdal-async builds every SpatialReference with GDAL 3's authority-compliant axis order and does
 * not expose `SetAxisMappingStrategy`, so EPSG:4326 would expect (lat, lon). We swap around the
 * transformation for CRSs whose first axis points north or south, read from their WKT.
 */
export function createPointTransformer(src: gdal.SpatialReference, dst: gdal.SpatialReference): PointTransformer {
  if (src.isSame(dst)) return (x, y) => [x, y];
  const transformation = new gdal.CoordinateTransformation(src, dst);
  const swapIn = isNorthFirst(src);
  const swapOut = isNorthFirst(dst);
  return (x, y) => {
    try {
      const p = swapIn ? transformation.transformPoint(y, x) : transformation.transformPoint(x, y);
      const out: [number, number] = swapOut ? [p.y, p.x] : [p.x, p.y];
      return Number.isFinite(out[0]) && Number.isFinite(out[1]) ? out : null;
    } catch {
      return null;
    }
  };
}

/** True when the CRS lists a north/south axis first (EPSG:4326, many national grids). */
export function isNorthFirst(srs: gdal.SpatialReference): boolean {
  let wkt: string;
  try {
    wkt = srs.toWKT();
  } catch {
    return false; // not expressible as WKT1: no AXIS to read, GDAL's default is easting first
  }
  const firstAxis = /AXIS\["[^"]*",\s*(\w+)\]/.exec(wkt);
  return firstAxis !== null && /^(NORTH|SOUTH)$/i.test(firstAxis[1]);
}
