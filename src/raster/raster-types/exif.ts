/** Camera position read from EXIF GPS tags. */
export interface ExifPosition {
  latitude: number;
  longitude: number;
  /** Metres above sea level (GPSAltitudeRef 1 = below). */
  altitude: number | null;
}

/** Camera interior read from EXIF, as far as the tags allow. */
export interface ExifCamera {
  maker: string | null;
  model: string | null;
  focalLengthMm: number | null;
  /** From FocalPlaneXResolution + unit, or from the 35 mm-equivalent focal length. */
  pixelSizeMm: number | null;
}

/** GDAL writes EXIF rationals as "(34) (0) (24.84)"; plain numbers also occur. */
export function parseExifNumbers(value: string | undefined): number[] {
  if (!value) return [];
  return [...value.matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/gi)].map((m) => Number(m[0]));
}

/** EXIF GPS position from GDAL metadata items (`EXIF_GPSLatitude`…); null when absent. */
export function parseExifPosition(md: Record<string, string>): ExifPosition | null {
  const lat = toDegrees(parseExifNumbers(md.EXIF_GPSLatitude));
  const lon = toDegrees(parseExifNumbers(md.EXIF_GPSLongitude));
  if (lat === null || lon === null) return null;
  const sign = (ref: string | undefined, negative: string): number => (ref?.trim().toUpperCase().startsWith(negative) ? -1 : 1);
  const [alt] = parseExifNumbers(md.EXIF_GPSAltitude);
  const below = /^(0x0*1|1)$/.test(md.EXIF_GPSAltitudeRef?.trim() ?? '');
  return {
    latitude: sign(md.EXIF_GPSLatitudeRef, 'S') * lat,
    longitude: sign(md.EXIF_GPSLongitudeRef, 'W') * lon,
    altitude: alt === undefined ? null : below ? -alt : alt,
  };
}

function toDegrees(parts: number[]): number | null {
  if (parts.length === 0 || parts.some((p) => !Number.isFinite(p))) return null;
  const [d, m = 0, s = 0] = parts;
  return d + m / 60 + s / 3600;
}

// FocalPlaneResolutionUnit: 2 = inch, 3 = centimetre, 4 = millimetre (non-standard but seen).
const MM_PER_UNIT: Record<string, number> = { '2': 25.4, '3': 10, '4': 1, '5': 0.001 };

/** Camera make, model, focal length and pixel size from EXIF; `columns` is the image width. */
export function parseExifCamera(md: Record<string, string>, columns: number): ExifCamera {
  const [focal] = parseExifNumbers(md.EXIF_FocalLength);
  const [resolution] = parseExifNumbers(md.EXIF_FocalPlaneXResolution);
  const unit = MM_PER_UNIT[String(parseExifNumbers(md.EXIF_FocalPlaneResolutionUnit)[0] ?? 2)];
  let pixelSizeMm: number | null = resolution && unit ? unit / resolution : null;
  const [focal35] = parseExifNumbers(md.EXIF_FocalLengthIn35mmFilm);
  if (pixelSizeMm === null && focal && focal35 && columns > 0) {
    // A 35 mm frame is 36 mm wide: the sensor is 36 × focal / focal35 mm wide.
    pixelSizeMm = (36 * focal) / focal35 / columns;
  }
  return { maker: md.EXIF_Make?.trim() || null, model: md.EXIF_Model?.trim() || null, focalLengthMm: focal || null, pixelSizeMm };
}

/**
 * EXIF "2023:05:01 10:00:05" (also TIFF DateTime) → epoch ms. EXIF has no time zone; the time
 * is taken as UTC unless an `OffsetTimeOriginal`-style suffix is present.
 */
export function parseExifDate(value: string | undefined): number | null {
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(value?.trim() ?? '');
  if (!m) return null;
  const zone = m[7] ? (m[7] === 'Z' ? 'Z' : m[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}
