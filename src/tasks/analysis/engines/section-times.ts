import { appendFileSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Where an engine job's time goes, for bench/engines.ts: when TESSERA_SECTION_TIMES names a file,
 * each timed section appends one JSON line `{"section", "ms", "cpuMs"}` to it. Off (no cost but the
 * check) otherwise. The bench runs one job at a time, so lines need no job id.
 */
const target = process.env.TESSERA_SECTION_TIMES;

export async function timeSection<T>(section: string, run: () => Promise<T>): Promise<T> {
  if (!target) return run();
  const started = performance.now();
  const cpu = cpuMs();
  try {
    return await run();
  } finally {
    appendFileSync(target, `${JSON.stringify({ section, ms: Math.round(performance.now() - started), cpuMs: cpuMs() - cpu })}\n`);
  }
}

/** CPU milliseconds of this process (all its threads) and of its finished children (engines); Linux /proc. */
function cpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}
