import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeProximity, proximityCommandArgs, type ProximityParams } from '../../raster/compute-proximity.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { overviewLevels } from '../../raster/write-overviews.js';

const SCRIPT = fileURLToPath(new URL('./proximity-with-overviews.py', import.meta.url));

/**
 * `gdal_proximity.py` with `params` on `source`, writing `file`, the result getting its internal
 * overviews. When the source and what it reads are local files (`local`) and the result is a
 * GTiff, GDAL's ComputeProximity runs in this process (computeProximity: the same file without
 * starting Python). Otherwise, as reads over the network may stall and a library call cannot be
 * stopped, in one Python process that a cancel kills: proximity-with-overviews.py (GDAL's own
 * gdal_proximity module, same pixels), which also builds the overviews rather than the job worker
 * opening and reading the result back. `size` is the source's (and the result's) width and
 * height. Falls back to the script as it is when its interpreter cannot be found.
 */
export async function runProximity(params: ProximityParams, source: string, file: string, size: { width: number; height: number }, signal: AbortSignal, local: boolean): Promise<void> {
  if (local && /\.tiff?$/i.test(file) && (await computeProximity(source, file, params, signal))) return;
  const args = proximityCommandArgs(params);
  const python = gdalScriptsPython();
  if (!python) return runGdalCommand('gdal_proximity.py', [...args, source, file], { signal });
  const levels = overviewLevels(size.width, size.height);
  return runGdalCommand(python, [SCRIPT, levels.length > 0 ? levels.join(',') : '-', ...args, source, file], { signal });
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
