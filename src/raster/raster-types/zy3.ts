import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { RasterTypeError } from '../raster-error.js';

/**
 * `ZY3-SASMAC` / `ZY3-CRESDA`: ZiYuan-3 scenes are delivered as Level-1 images with RPCs and need
 * RPC orthorectification over a DEM (and, for the stereo templates, block adjustment). That is not
 * implemented: rather than guess a placement, always fail with a clear message, saying whether the
 * input looked like a ZY3 product at all.
 */
export async function rejectZy3(inputs: string[], typeName: 'ZY3-SASMAC' | 'ZY3-CRESDA'): Promise<never> {
  const found = await Promise.all(inputs.map(looksLikeZy3));
  if (found.every((f) => !f)) {
    throw new RasterTypeError(`${inputs.map((i) => path.basename(i)).join(', ')} is not a ZY3 product (no ZY3 files or metadata found); the ${typeName} raster type is not supported yet anyway`);
  }
  throw new RasterTypeError(`The ${typeName} raster type is not supported yet: ZiYuan-3 scenes need RPC orthorectification, which this server does not do`);
}

/** ZY3 products name their files ZY3_… (ZY3_MUX_E116.5_N39.9_20130112_L1A0000978652.tiff) and say ZY3 in their XML. */
async function looksLikeZy3(input: string): Promise<boolean> {
  const info = await stat(input).catch(() => null);
  if (!info) throw new RasterTypeError(`Input ${path.basename(input)} does not exist`);
  const files = info.isDirectory() ? (await readdir(input)).map((n) => path.join(input, n)) : [input];
  for (const file of files) {
    const name = path.basename(file);
    if (/^ZY3[_-]|^ZY302[_-]/i.test(name)) return true;
    if (/\.xml$/i.test(name) && /<SatelliteID>\s*ZY3|ZY-?3/i.test(await readHead(file))) return true;
  }
  return false;
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(16 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
