import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requireEngine } from './engine-catalog.js';
import { runEngine } from './run-engine.js';

/** One GRASS module call, e.g. `['r.fill.dir', 'input=dem', 'output=filled']`. */
export type GrassCommand = string[];

export interface GrassRun {
  /** Task name, for messages. */
  task: string;
  /** A georeferenced file or `EPSG:<code>`: the location takes its projection from it. */
  location: string;
  /**
   * Keep the location in this folder (made by the first run) so that a later run of the same job
   * works on the rasters an earlier one made, without exporting and importing them again.
   * Without it, each run gets a temporary location.
   */
  keepIn?: string;
  commands: GrassCommand[];
  scratchDir: string;
  signal: AbortSignal;
  /** 0–1 over all commands, from GRASS's own percent messages. */
  onProgress?: (fraction: number, step: string) => void;
  onStart?: (pgid: number) => void;
  /**
   * Writes the files the commands read, started once GRASS is (which makes its location from
   * `location` meanwhile, ~0.25 s): the script waits for it before the first command, and if it
   * fails, the script ends and the run throws its error. Its time counts in the engine's section.
   */
  prepare?: () => Promise<unknown>;
}

const STEP_MARK = 'TESSERA_STEP ';

/**
 * Runs GRASS modules headless in a throw-away location: `grass --tmp-location <src> --exec bash
 * script.sh`, the script being the commands under `set -e`. GRASS's temporary files go to the
 * job's scratch folder (TMPDIR), so a killed run leaves nothing elsewhere. Progress comes from
 * `GRASS_INFO_PERCENT` lines (GRASS_MESSAGE_FORMAT=gui), spread over the commands.
 */
export async function runGrass(run: GrassRun): Promise<void> {
  requireEngine('grass', run.task);
  const dir = path.join(run.scratchDir, 'grass');
  const tmp = path.join(dir, 'tmp');
  await mkdir(tmp, { recursive: true });
  const script = path.join(dir, `script-${Date.now()}.sh`);
  // `read` fails on an input closed without a line: the wait ends the script then.
  const lines = ['set -e', ...(run.prepare ? ['read -r _'] : [])];
  run.commands.forEach((command, i) => {
    lines.push(`echo ${quote(`${STEP_MARK}${i} ${command[0]}`)}`);
    lines.push(command.map(quote).join(' '));
  });
  await writeFile(script, `${lines.join('\n')}\n`);
  let step = 0;
  let stepName = run.commands[0]?.[0] ?? '';
  const total = Math.max(1, run.commands.length);
  const where = run.keepIn ? await keptLocation(run.keepIn, run.location) : ['--tmp-location', run.location];
  let prepared: Promise<unknown> = Promise.resolve();
  const prepare = run.prepare;
  const engine = runEngine(run.task, 'grass', [...where, '--exec', 'bash', script], {
    signal: run.signal,
    ...(prepare ? { stdinLine: () => (prepared = prepare()) } : {}),
    cwd: dir,
    env: { ...process.env, TMPDIR: tmp, GRASS_MESSAGE_FORMAT: 'gui', GRASS_OVERWRITE: '1', LC_ALL: 'C' },
    onStart: run.onStart,
    onLine: (line) => {
      if (line.startsWith(STEP_MARK)) {
        const [index, name] = line.slice(STEP_MARK.length).split(' ');
        step = Number(index);
        stepName = name ?? stepName;
        run.onProgress?.(step / total, stepName);
        return;
      }
      const percent = /^GRASS_INFO_PERCENT:\s*(\d+)/.exec(line);
      if (percent) run.onProgress?.((step + Number(percent[1]) / 100) / total, stepName);
    },
  });
  // The inputs' failure first: GRASS then only stopped waiting for them.
  const [ready, ran] = await Promise.allSettled([prepared, engine]);
  if (ready.status === 'rejected') throw ready.reason;
  if (ran.status === 'rejected') throw ran.reason;
}

/** `-c <source> <folder>` to make the kept location on the first run, its mapset afterwards. */
async function keptLocation(folder: string, source: string): Promise<string[]> {
  const location = path.join(folder, 'location');
  const made = await access(path.join(location, 'PERMANENT')).then(
    () => true,
    () => false,
  );
  if (made) return [path.join(location, 'PERMANENT')];
  await mkdir(folder, { recursive: true });
  return ['-c', source, location];
}

/**
 * Links a GDAL raster into the session as `name` without copying it (`r.external`: modules read
 * the file through GDAL), where `r.in.gdal` would write a copy in GRASS's own format first.
 * `band` links that band alone as `name` (without it, a multi-band file becomes `name.1`, `name.2`, …).
 */
export function linkRaster(file: string, name: string, band?: number): GrassCommand {
  return ['r.external', '-o', `input=${file}`, ...(band ? [`band=${band}`] : []), `output=${name}`, '--quiet'];
}

/**
 * From here on, rasters the modules make are written straight to GeoTIFFs `<dir>/<name>.tif`
 * (`r.external.out`) instead of GRASS's format and then a copy by `r.out.gdal`. Floating-point
 * maps keep NaN as NoData, as r.out.gdal writes them. Integer (CELL) maps come out with GRASS's
 * null (−2147483648) as values and a NoData tag that does not match it: read them only where
 * another map tells the null cells apart.
 */
export function writeRastersTo(dir: string): GrassCommand {
  return ['r.external.out', `directory=${dir}`, 'format=GTiff', 'extension=tif'];
}

/** Single-quoted for bash. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
