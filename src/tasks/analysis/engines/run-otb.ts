import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { requireEngine } from './engine-catalog.js';
import { runEngine } from './run-engine.js';

export interface OtbRun {
  task: string;
  /** Application name, e.g. `LargeScaleMeanShift` (run as `otbcli_<app>`). */
  app: string;
  args: string[];
  scratchDir: string;
  signal: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * Runs one Orfeo ToolBox application. OTB prints "Writing out.tif...: 40% [****" as it writes;
 * that is the progress reported. Its memory hint is kept modest: several jobs share the machine.
 */
export async function runOtb(run: OtbRun): Promise<string> {
  requireEngine('otb', run.task);
  const dir = path.join(run.scratchDir, 'otb');
  await mkdir(dir, { recursive: true });
  const result = await runEngine(run.task, `otbcli_${run.app}`, run.args, {
    signal: run.signal,
    cwd: dir,
    env: { ...process.env, TMPDIR: dir, OTB_MAX_RAM_HINT: process.env.OTB_MAX_RAM_HINT ?? '256', LC_ALL: 'C' },
    onLine: (line) => {
      const percent = /:\s*(\d+)%/.exec(line);
      if (percent) run.onProgress?.(Math.min(1, Number(percent[1]) / 100));
    },
  });
  return result.stdout + result.stderr;
}
