import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeProximity, type ProximityRequest } from '../../raster/compute-proximity.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { overviewLevels } from '../../raster/write-overviews.js';

const SCRIPT = fileURLToPath(new URL('./proximity-with-overviews.py', import.meta.url));

/**
 * `gdal_proximity.py args source file`, the result getting its internal overviews. When the
 * source and what it reads are local files (`local`), GDAL's ComputeProximity runs in this process
 * (computeProximity: the same file without starting Python). Otherwise, as reads over the network
 * may stall and a library call cannot be stopped, in one Python process that a cancel kills:
 * proximity-with-overviews.py (GDAL's own gdal_proximity module, same pixels), which also builds
 * the overviews rather than the job worker opening and reading the result back. `size` is the
 * source's (and the result's) width and height. Falls back to the script as it is when its
 * interpreter cannot be found.
 */
export async function runProximity(args: string[], source: string, file: string, size: { width: number; height: number }, signal: AbortSignal, local: boolean): Promise<void> {
  const request = local ? libraryRequest(args, source, file) : null;
  if (request && (await computeProximity(request, signal))) return;
  const python = gdalScriptsPython();
  if (!python) return runGdalCommand('gdal_proximity.py', [...args, source, file], { signal });
  const levels = overviewLevels(size.width, size.height);
  return runGdalCommand(python, [SCRIPT, levels.length > 0 ? levels.join(',') : '-', ...args, source, file], { signal });
}

const ALGORITHM_OPTIONS = new Map([['-values', 'VALUES'], ['-distunits', 'DISTUNITS'], ['-maxdist', 'MAXDIST'], ['-nodata', 'NODATA']]);

/** gdal_proximity.py's reading of `args` (its main()), for a GTiff result; null for arguments it is not written for. */
function libraryRequest(args: string[], source: string, file: string): ProximityRequest | null {
  if (!/\.tiff?$/i.test(file)) return null;
  const request: ProximityRequest = { source, file, dataType: 'Float32', creationOptions: [], options: [] };
  for (let i = 0; i < args.length; i++) {
    const [arg, value] = [args[i], args[i + 1]];
    if (arg === '-q') continue;
    if (value === undefined) return null;
    if (arg === '-ot') request.dataType = value;
    else if (arg === '-co') request.creationOptions.push(value);
    else if (ALGORITHM_OPTIONS.has(arg)) request.options.push(`${ALGORITHM_OPTIONS.get(arg)}=${value}`);
    else return null;
    i++;
  }
  return request;
}

let python: string | null | undefined;

/** The interpreter GDAL's Python scripts run with (the first line of gdal_proximity.py on the PATH): it has GDAL's bindings. */
function gdalScriptsPython(): string | null {
  if (python !== undefined) return python;
  python = null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      const shebang = readFileSync(path.join(dir, 'gdal_proximity.py'), 'utf8').split('\n', 1)[0];
      const interpreter = shebang.replace(/^#!\s*/, '').trim();
      // A plain interpreter path only ("#!/usr/bin/env python3" would find another Python first on the PATH).
      if (shebang.startsWith('#!') && /^\/\S+$/.test(interpreter)) python = interpreter;
      break;
    } catch {
      // Not in this directory.
    }
  }
  return python;
}
