import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { requireEngine } from './engine-catalog.js';
import { runEngine } from './run-engine.js';

export interface SagaRun {
  task: string;
  /** Tool library and tool id, e.g. `ta_preprocessor` and `4` (Fill Sinks, Wang & Liu). */
  library: string;
  tool: string;
  /** Tool options without the leading dash, e.g. `{ ELEV: 'dem.tif', FILLED: 'out.tif' }`. */
  options: Record<string, string | number>;
  scratchDir: string;
  signal: AbortSignal;
  onProgress?: (fraction: number) => void;
  onStart?: (pgid: number) => void;
}

/**
 * Runs one SAGA tool with `saga_cmd` (SAGA 8 reads and writes GeoTIFF by file extension).
 * Progress comes from the percentages SAGA prints as it goes.
 * SAGA's OpenMP threads wait passively (unless OMP_WAIT_POLICY says otherwise): spinning at each
 * of a tool's many barriers, they burn the time slices the other threads need once the machine
 * has more runnable threads than cores. Slope/Aspect on 2,000² at load 12: 63–93 s wall and
 * 11–12 s CPU spinning, 20–29 s and 1.8–2.6 s passive.
 */
export async function runSaga(run: SagaRun): Promise<void> {
  requireEngine('saga', run.task);
  const dir = path.join(run.scratchDir, 'saga');
  await mkdir(dir, { recursive: true });
  const args = [run.library, run.tool, ...Object.entries(run.options).flatMap(([key, value]) => [`-${key}`, String(value)])];
  await runEngine(run.task, 'saga_cmd', args, {
    signal: run.signal,
    cwd: dir,
    env: { ...process.env, TMPDIR: dir, LC_ALL: 'C', OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' },
    onStart: run.onStart,
    onLine: (line) => {
      const percents = line.match(/(\d+)%/g);
      if (percents) run.onProgress?.(Math.min(1, Number.parseInt(percents[percents.length - 1]!, 10) / 100));
    },
  });
}
