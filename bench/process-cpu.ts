import { readFile } from 'node:fs/promises';

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux; 10 ms ticks). */
export async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
