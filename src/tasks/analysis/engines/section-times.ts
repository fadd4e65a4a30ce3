import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Where an engine job's time goes, for bench/engines.ts: when TESSERA_SECTION_TIMES names a file,
 * each timed section appends one JSON line `{"section", "ms"}` to it. Off (no cost but the
 * check) otherwise. The bench runs one job at a time, so lines need no job id.
 */
const target = process.env.TESSERA_SECTION_TIMES;

export async function timeSection<T>(section: string, run: () => Promise<T>): Promise<T> {
  if (!target) return run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    appendFileSync(target, `${JSON.stringify({ section, ms: Math.round(performance.now() - started) })}\n`);
  }
}
