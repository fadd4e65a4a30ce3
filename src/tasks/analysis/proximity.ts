import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { overviewLevels } from '../../raster/write-overviews.js';

const SCRIPT = fileURLToPath(new URL('./proximity-with-overviews.py', import.meta.url));

/**
 * `gdal_proximity.py args source file`, the result getting its internal overviews in the same
 * Python process (proximity-with-overviews.py: GDAL's own gdal_proximity module, same pixels)
 * rather than the job worker opening and reading it back (~0.15 s CPU of a 0.8 s job on a 2000²
 * grid, bench/raster-analysis.ts). `size` is the source's (and the result's) width and height.
 * Falls back to the script as it is when its interpreter cannot be found.
 */
export function runProximity(args: string[], source: string, file: string, size: { width: number; height: number }, signal: AbortSignal): Promise<void> {
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
