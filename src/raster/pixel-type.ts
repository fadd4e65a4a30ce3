/** ArcGIS pixel types, as image services report them in `pixelType`. */
export type PixelType = 'U1' | 'U2' | 'U4' | 'U8' | 'S8' | 'U16' | 'S16' | 'U32' | 'S32' | 'F32' | 'F64' | 'C64' | 'C128' | 'UNKNOWN';

const BY_GDAL_TYPE: Record<string, PixelType> = {
  Byte: 'U8',
  Int8: 'S8',
  UInt16: 'U16',
  Int16: 'S16',
  UInt32: 'U32',
  Int32: 'S32',
  Float32: 'F32',
  Float64: 'F64',
  // ArcGIS has no 64-bit integer pixel type; F64 keeps the values' magnitude.
  UInt64: 'F64',
  Int64: 'F64',
  CInt16: 'C64',
  CInt32: 'C64',
  CFloat32: 'C64',
  CFloat64: 'C128',
};

/**
 * Maps a GDAL data type name to the ArcGIS pixel type. Sub-byte data (`NBITS` 1, 2 or 4 in
 * IMAGE_STRUCTURE metadata) are reported as U1/U2/U4 the way ArcGIS does.
 */
export function toPixelType(gdalType: string | null | undefined, nbits?: number): PixelType {
  if (gdalType === 'Byte' && nbits !== undefined) {
    if (nbits === 1) return 'U1';
    if (nbits === 2) return 'U2';
    if (nbits === 4) return 'U4';
  }
  return (gdalType && BY_GDAL_TYPE[gdalType]) || 'UNKNOWN';
}

/** True for the floating-point GDAL types (real or complex). */
export function isFloatType(gdalType: string): boolean {
  return /Float/.test(gdalType);
}
