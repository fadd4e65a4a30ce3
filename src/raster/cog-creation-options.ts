import { isFloatType } from './pixel-type.js';

export type CogCompression = 'JPEG' | 'DEFLATE' | 'ZSTD' | 'LZW' | 'LERC' | 'LERC_DEFLATE' | 'LERC_ZSTD' | 'WEBP' | 'NONE';

/** What the compression choice depends on, as it will be written (after any alpha → mask). */
export interface CogPixelLayout {
  dataType: string;
  bandCount: number;
  hasNoData: boolean;
  hasColorTable: boolean;
}

export interface CogCompressionOverrides {
  compression?: CogCompression;
  /** JPEG/WEBP quality 1–100 (default 90). */
  quality?: number;
  /** LERC maximum error per pixel (default 0: lossless). */
  maxZError?: number;
  /** Compression threads (`NUM_THREADS`), default ALL_CPUS. */
  threads?: number | 'ALL_CPUS';
}

/**
 * GDAL COG creation options (`-co` values) for a raster, following docs/imagery.md:
 * JPEG for 8-bit RGB without nodata (JPEG would smear exact nodata values; an alpha band becomes
 * a mask, which JPEG keeps exact), DEFLATE with a horizontal predictor for integers, lossless
 * LERC + DEFLATE for floats, DEFLATE without predictor for paletted data. Overviews are averaged,
 * except paletted (class) data, which takes the nearest value.
 */
export function chooseCogCreationOptions(layout: CogPixelLayout, overrides: CogCompressionOverrides = {}): string[] {
  const compression = overrides.compression ?? chooseCompression(layout);
  const options = ['BLOCKSIZE=512', 'BIGTIFF=IF_SAFER', `COMPRESS=${compression}`, `NUM_THREADS=${overrides.threads ?? 'ALL_CPUS'}`];
  if (compression === 'JPEG' || compression === 'WEBP') options.push(`QUALITY=${overrides.quality ?? 90}`);
  if (compression.startsWith('LERC')) options.push(`MAX_Z_ERROR=${overrides.maxZError ?? 0}`);
  if (['DEFLATE', 'ZSTD', 'LZW'].includes(compression) && !layout.hasColorTable) options.push('PREDICTOR=YES');
  options.push(`OVERVIEW_RESAMPLING=${layout.hasColorTable ? 'NEAREST' : 'AVERAGE'}`);
  return options;
}

function chooseCompression(layout: CogPixelLayout): CogCompression {
  if (layout.hasColorTable) return 'DEFLATE';
  if (layout.dataType === 'Byte' && layout.bandCount === 3 && !layout.hasNoData) return 'JPEG';
  if (isFloatType(layout.dataType)) return 'LERC_DEFLATE';
  return 'DEFLATE';
}
