import gdal from 'gdal-async';
import { gdalCApi } from './gdal-c-api.js';

/**
 * Bounds GDAL's block cache (decoded tiles kept between reads). GDAL's default is 5 % of the
 * machine's RAM, over a gigabyte of RSS on a large host for no measured gain in rendering; the
 * limit is read once, at the first block read, so call this before any raster is opened. The
 * variable is set too, so job worker processes forked later get the same bound.
 */
export function limitGdalCache(megabytes: number): void {
  const value = String(Math.round(megabytes));
  process.env.GDAL_CACHEMAX = value;
  gdal.config.set('GDAL_CACHEMAX', value);
}

/**
 * Empties GDAL's block cache (blocks not in use by a read), so a quiet process holds no decoded
 * blocks; the next reads decode theirs again. False where GDAL's C API cannot be reached.
 */
export function flushGdalCache(): boolean {
  const api = gdalCApi();
  if (!api) return false;
  flushBlock ??= api.sync<() => number>('int GDALFlushCacheBlock()');
  while (flushBlock()) {
    // one least recently used block a call
  }
  return true;
}

let flushBlock: (() => number) | undefined;
