import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { RasterTypeError } from '../raster-error.js';

// Product metadata GDAL's SENTINEL2 driver opens: compact SAFE (2016+) and the older layout.
const PRODUCT_MTD = /^(MTD_MSIL1C|MTD_MSIL2A|S2[AB]_OPER_MTD_SAF[A-Z0-9]*|S2[AB]_USER_MTD_SAF[A-Z0-9]*)\.xml$/i;
// Zipped products as ESA distributes them; GDAL opens them without unzipping.
const PRODUCT_ZIP = /^S2[A-D]_MSIL(1C|2A)_.*\.zip$/i;

/**
 * What to open for each Sentinel-2 product in the inputs: its product metadata XML, or the
 * product zip itself. An input may be that XML, a `.SAFE` folder, a zip, or a folder of those.
 */
export async function findSentinel2Products(inputs: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const input of inputs) {
    const products = await productsFor(input, true);
    if (products.length === 0) throw new RasterTypeError(`${path.basename(input)} is not a Sentinel-2 product (no MTD_MSIL1C.xml or MTD_MSIL2A.xml found)`);
    for (const p of products) found.add(p);
  }
  return [...found].sort();
}

async function productsFor(input: string, lookInside: boolean): Promise<string[]> {
  const info = await stat(input).catch(() => null);
  if (!info) throw new RasterTypeError(`Input ${path.basename(input)} does not exist`);
  const name = path.basename(input);
  if (info.isFile()) return PRODUCT_MTD.test(name) || PRODUCT_ZIP.test(name) ? [input] : [];
  const entries = await readdir(input, { withFileTypes: true });
  const mtd = entries.find((e) => e.isFile() && PRODUCT_MTD.test(e.name));
  if (mtd) return [path.join(input, mtd.name)];
  if (!lookInside) return [];
  const nested = await Promise.all(
    entries.filter((e) => (e.isDirectory() && /\.SAFE$/i.test(e.name)) || (e.isFile() && PRODUCT_ZIP.test(e.name))).map((e) => productsFor(path.join(input, e.name), false)),
  );
  return nested.flat();
}
