import { appendFileSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Where an engine job's time goes, for bench/engines.ts: when TESSERA_SECTION_TIMES names a file,
 * each timed section appends one JSON line `{"section", "ms", "cpuMs"}` to it. Off (no cost but the
 * check) otherwise. The bench runs one job at a time, so lines need no job id. A section inside
 * another counts in the outer one only, so that a job's sections add up.
 */
const target = process.env.TESSERA_SECTION_TIMES;
let openSections = 0;

export async function timeSection<T>(section: string, run: () => Promise<T>): Promise<T> {
  if (!target || openSections > 0) return run();
  const started = performance.now();
  const cpu = cpuMs();
  openSections++;
  try {
    return await run();
  } finally {
    openSections--;
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
