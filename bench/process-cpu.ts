import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux; 10 ms ticks). */
export async function processCpuMs(pid: number): Promise<number> {
  const [utime, stime] = (await statFields(pid)).slice(11, 13);
  return (Number(utime) + Number(stime)) * 10;
}

/**
 * The same for a process and every live descendant (a server with `--processes N`, its job
 * workers): what the machine spends on the server, however it is split into processes;
 * `main threads`: only their event loops' (the part that cannot spread over cores).
 */
export async function processTreeCpuMs(root: number, only: 'all' | 'main threads' = 'all'): Promise<number> {
  let total = 0;
  for (const pid of await processTree(root)) total += await (only === 'all' ? processCpuMs(pid) : mainThreadCpuMs(pid)).catch(() => 0);
  return total;
}

/** A process and its live descendants. */
async function processTree(root: number): Promise<Set<number>> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = await statFields(Number(name)).catch(() => undefined);
    if (fields) parents.set(Number(name), Number(fields[1]));
  }
  const tree = new Set([root]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, parent] of parents) if (tree.has(parent) && !tree.has(pid)) grown = tree.add(pid).size > 0;
  }
  return tree;
}

/** The CPU time of a process's main thread alone (its event loop; not its worker or helper threads). */
async function mainThreadCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13);
  return (Number(utime) + Number(stime)) * 10;
}

/** The fields of /proc/<pid>/stat after the command name: state, ppid, … (utime and stime at 11 and 12). */
async function statFields(pid: number): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU milliseconds of this process's live children (a job worker's own, and the commands it ran
 * and waited for), and of the children it has reaped (the commands a bench runs): the figure a
 * shared machine disturbs least. Linux /proc; NaN elsewhere. This process (the HTTP side) is not
 * counted.
 */
export function childCpuMs(): number {
  const ticks = (stat: string, from: number, to: number) => stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(from, to).reduce((sum, v) => sum + Number(v), 0);
  try {
    let total = ticks(readFileSync('/proc/self/stat', 'utf8'), 13, 15);
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) total += ticks(stat, 11, 15);
    }
    return total * 10; // USER_HZ is 100
  } catch {
    return Number.NaN;
  }
}
