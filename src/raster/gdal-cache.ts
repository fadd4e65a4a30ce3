import gdal from 'gdal-async';

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
