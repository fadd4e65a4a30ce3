import gdal from 'gdal-async';

let counter = 0;

/** A /vsimem/ name no other render uses. */
export function uniqueVsimemName(extension: string): string {
  return `/vsimem/render-${process.pid}-${counter++}.${extension}`;
}

/**
 * Takes a /vsimem/ file's bytes out of GDAL's memory, and drops the side-cars drivers leave
 * (`.aux.xml`, MRF's `.idx`/`.lrc`), so that nothing accumulates between requests.
 */
export function releaseVsimem(name: string, sideCars: string[] = []): Buffer {
  const bytes = gdal.vsimem.release(name);
  for (const file of [`${name}.aux.xml`, ...sideCars]) dropQuietly(file);
  return bytes;
}

export function dropQuietly(name: string): void {
  try {
    gdal.vsimem.release(name);
  } catch {
    // Not written by this driver.
  }
}
