import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeXml } from '../../raster/raster-types/write-band-vrt.js';
import { putObject } from '../../raster/s3-objects.js';

/**
 * Maps a recipe's local path to where every node reads it, and back to itself for anything else.
 */
export type SharedPath = (file: string) => string;

/**
 * Uploads the recipes raster types wrote for images added by reference (VRTs stacking band
 * files, frames with their GCPs, an elevation mosaic) from this worker's scratch folder to the
 * object store, where every node opens them. Source references inside them become absolute:
 * a relative one would point into the bucket, and one to a sibling recipe is rewritten to the
 * sibling's object. Side-cars GDAL left (`.aux.xml`) stay behind: the catalog keeps statistics.
 *
 * @example const shared = await shareRecipes('/scratch/j1/recipes', '/vsis3/b/p/coll/j1/recipes'); shared('/scratch/j1/recipes/a.vrt')
 */
export async function shareRecipes(localDir: string, sharedDir: string): Promise<SharedPath> {
  const local = path.resolve(localDir);
  const shared: SharedPath = (file) => {
    const relative = path.relative(local, path.resolve(file));
    return file.startsWith('/vsi') || relative.startsWith('..') || path.isAbsolute(relative) ? file : path.posix.join(sharedDir, ...relative.split(path.sep));
  };
  const files = (await readdir(local, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && !e.name.endsWith('.aux.xml'));
  for (const entry of files) {
    const file = path.join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    const body = /\.vrt$/i.test(entry.name) ? Buffer.from(rewriteVrt(bytes.toString('utf8'), path.dirname(file), local, shared)) : bytes;
    await putObject(body, shared(file));
  }
  return shared;
}

const REFERENCE = /<(\w+)(\s[^>]*?)?\srelativeToVRT="([01])"([^>]*)>([^<]*)<\/\1>/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** The VRT with every file reference absolute, and references into the recipe folder shared. */
export function rewriteVrt(xml: string, vrtDir: string, localDir: string, shared: SharedPath): string {
  const rewritten = xml.replace(REFERENCE, (_all, tag: string, before = '', relative: string, after: string, text: string) => {
    const name = text.replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e);
    const absolute = relative === '1' && !name.startsWith('/vsi') && !path.isAbsolute(name) ? path.join(vrtDir, name) : name;
    return `<${tag}${before} relativeToVRT="0"${after}>${escapeXml(shared(absolute))}</${tag}>`;
  });
  // Other mentions of a recipe by its scratch path (warp options, `-te_srs` files, …).
  const escaped = escapeXml(path.resolve(localDir));
  return rewritten.split(escaped).join(escapeXml(shared(localDir)));
}
