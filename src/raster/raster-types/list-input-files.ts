import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { RasterTypeError } from '../raster-error.js';

// Side-car files GDAL reads along with a raster; never rasters of their own.
const SIDECARS = /\.(aux\.xml|ovr|msk|tfw|tifw|jgw|pgw|wld|prj|rpb|xml|txt|json|md|html|imd|til|ini|log|zip\.sha256)$/i;

export interface InputFile {
  path: string;
  /** True when the caller named this file; false when it came from listing a folder. */
  explicit: boolean;
}

/**
 * Expands inputs into files: a file stays itself, a folder gives the files directly inside it
 * (side-car files such as .aux.xml, .ovr, .tfw left out), sorted by name.
 */
export async function listInputFiles(inputs: string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new RasterTypeError(`Input ${path.basename(input)} does not exist`);
    if (!info.isDirectory()) {
      out.push({ path: input, explicit: true });
      continue;
    }
    const names = (await readdir(input, { withFileTypes: true })).filter((e) => e.isFile() && !SIDECARS.test(e.name)).map((e) => e.name);
    for (const name of names.sort()) out.push({ path: path.join(input, name), explicit: false });
  }
  return out;
}
