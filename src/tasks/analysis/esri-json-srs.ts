import gdal from 'gdal-async';
import { toEpsg } from '../../geometry/spatial-reference.js';
import { toSpatialReference } from '../../raster/srs-input.js';

/**
 * A feature set's `wkt` spatial reference, read without OGR's database search. OGR's Esri JSON
 * reader calls FindBestMatch on every open of a set whose SR is a `wkt`, and no open option or
 * setting turns that off (GDAL 3.6): ~0.2–0.5 s of CPU for a WKT that PROJ's database names
 * nothing (a GeoTIFF's own WKT2 on an unnamed datum), a few ms for one it names. Tasks that need
 * it read such a set from a copy without the SR (`resolveFeatureInput`'s `wktApart`) and take the
 * SR from here.
 */

/** The WKT as OGR reads it before its search; null when it is not WKT GDAL can read. */
export function wktAsWritten(wkt: string): gdal.SpatialReference | null {
  try {
    return gdal.SpatialReference.fromWKT(wkt);
  } catch {
    return null;
  }
}

/**
 * The SR to give a result made in `wkt`'s system: the EPSG (or Esri) system the server names it
 * by (`toEpsg`: GDAL's autoIdentifyEPSG, or an Esri name in PROJ's database), when that is the
 * same system; else the WKT as written. This is OGR's answer wherever a name or a code settles it
 * (an Esri WKT, UTM on WGS 84), without the search through every datum; a system PROJ only
 * matches by its parameters keeps the WKT the client gave.
 */
export function wktNamed(wkt: string): gdal.SpatialReference | null {
  const written = wktAsWritten(wkt);
  if (!written) return null;
  const code = toEpsg({ wkt });
  if (code === undefined) return written;
  try {
    const named = toSpatialReference(code);
    return named.isSame(written) ? named : written;
  } catch {
    return written;
  }
}
