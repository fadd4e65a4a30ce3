import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { RasterTypeError } from '../raster-error.js';

const MTL = /_MTL\.(json|txt)$/i;

/**
 * The MTL file of each Landsat scene in the inputs. An input may be the MTL file, the scene folder,
 * a folder of scene folders, or any file inside a scene folder. When a scene has both MTL.json and
 * MTL.txt, the JSON one is used.
 */
export async function findLandsatMtlFiles(inputs: string[]): Promise<string[]> {
  const byScene = new Map<string, string>();
  for (const input of inputs) {
    const found = await mtlFilesFor(input);
    if (found.length === 0) throw new RasterTypeError(`${path.basename(input)}: no Landsat metadata file (*_MTL.txt or *_MTL.json) found`);
    for (const file of found) {
      const scene = file.replace(MTL, '');
      const known = byScene.get(scene);
      if (!known || /\.json$/i.test(file)) byScene.set(scene, file);
    }
  }
  return [...byScene.values()].sort();
}

async function mtlFilesFor(input: string): Promise<string[]> {
  const info = await stat(input).catch(() => null);
  if (!info) throw new RasterTypeError(`Input ${path.basename(input)} does not exist`);
  if (info.isFile()) return MTL.test(input) ? [input] : mtlFilesIn(path.dirname(input));
  const direct = await mtlFilesIn(input);
  if (direct.length > 0) return direct;
  // A folder of scene folders (one level down).
  const entries = await readdir(input, { withFileTypes: true });
  const nested = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => mtlFilesIn(path.join(input, e.name))));
  return nested.flat();
}

async function mtlFilesIn(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((n) => MTL.test(n)).map((n) => path.join(folder, n));
}
