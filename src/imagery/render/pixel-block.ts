import { ApiError } from '../../errors.js';

export type BandArray = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * Pixels between the steps of a render: planar bands plus a validity mask. `mask` is 0 where
 * there is no data and 255 where there is; values in between are the partial coverage that
 * resampling produces along data edges.
 */
export interface PixelBlock {
  width: number;
  height: number;
  bands: BandArray[];
  mask: Uint8Array;
  /** ArcGIS pixel type of the values (`U8`, `S16`, `F32`…). */
  pixelType: string;
}

/** The typed array class of a pixel type: `new array(length)`, or a view of a whole buffer. */
export interface BandArrayClass {
  new (length: number): BandArray;
  new (buffer: ArrayBuffer): BandArray;
  readonly BYTES_PER_ELEMENT: number;
}

interface TypeInfo {
  gdal: string;
  array: BandArrayClass;
  min: number;
  max: number;
  integer: boolean;
}

const TYPES: Record<string, TypeInfo> = {
  U1: { gdal: 'Byte', array: Uint8Array, min: 0, max: 1, integer: true },
  U2: { gdal: 'Byte', array: Uint8Array, min: 0, max: 3, integer: true },
  U4: { gdal: 'Byte', array: Uint8Array, min: 0, max: 15, integer: true },
  U8: { gdal: 'Byte', array: Uint8Array, min: 0, max: 255, integer: true },
  U16: { gdal: 'UInt16', array: Uint16Array, min: 0, max: 65535, integer: true },
  S16: { gdal: 'Int16', array: Int16Array, min: -32768, max: 32767, integer: true },
  U32: { gdal: 'UInt32', array: Uint32Array, min: 0, max: 4294967295, integer: true },
  S32: { gdal: 'Int32', array: Int32Array, min: -2147483648, max: 2147483647, integer: true },
  F32: { gdal: 'Float32', array: Float32Array, min: -3.4028234663852886e38, max: 3.4028234663852886e38, integer: false },
  F64: { gdal: 'Float64', array: Float64Array, min: -Number.MAX_VALUE, max: Number.MAX_VALUE, integer: false },
};

/** Type facts of an ArcGIS pixel type; unknown (or complex) types are a 400 naming `pixelType`. */
export function pixelTypeInfo(pixelType: string): TypeInfo {
  const info = TYPES[pixelType.toUpperCase()];
  if (!info) throw ApiError.invalidParameter(`'pixelType' parameter is invalid: ${pixelType} is not supported`);
  return info;
}

/** True for the pixel types this renderer reads and writes. */
export function isSupportedPixelType(pixelType: string): boolean {
  return TYPES[pixelType.toUpperCase()] !== undefined;
}

/** A block with every pixel marked as no data. */
export function emptyBlock(width: number, height: number, bandCount: number, pixelType: string): PixelBlock {
  const { array } = pixelTypeInfo(pixelType);
  return { width, height, pixelType, mask: new Uint8Array(width * height), bands: Array.from({ length: bandCount }, () => new array(width * height)) };
}

/** The inner part of a block rendered with `margin` extra pixels on every side. */
export function cropBlock(block: PixelBlock, margin: number): PixelBlock {
  if (margin <= 0) return block;
  const width = block.width - 2 * margin;
  const height = block.height - 2 * margin;
  const crop = <T extends BandArray>(source: T): T => {
    const out = new (source.constructor as new (n: number) => T)(width * height);
    for (let row = 0; row < height; row++) {
      const start = (row + margin) * block.width + margin;
      out.set(source.subarray(start, start + width) as never, row * width);
    }
    return out;
  };
  return { ...block, width, height, bands: block.bands.map(crop), mask: crop(block.mask) };
}

/** Marks pixels as no data where the band values equal `noData` (any band, or all bands). */
export function maskValues(block: PixelBlock, noData: number[], matchAll: boolean): void {
  const n = block.width * block.height;
  const values = block.bands.map((_, b) => noData[Math.min(b, noData.length - 1)]);
  for (let i = 0; i < n; i++) {
    if (block.mask[i] === 0) continue;
    let matches = 0;
    for (let b = 0; b < block.bands.length; b++) if (block.bands[b][i] === values[b]) matches++;
    if (matchAll ? matches === block.bands.length : matches > 0) block.mask[i] = 0;
  }
}
