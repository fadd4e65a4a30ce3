import { readdir, readFile } from 'node:fs/promises';

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux; 10 ms ticks). */
export async function processCpuMs(pid: number): Promise<number> {
  const [utime, stime] = (await statFields(pid)).slice(11, 13);
  return (Number(utime) + Number(stime)) * 10;
}

/**
 * The same for a process and every live descendant (a server with `--processes N`, its job
 * workers): what the machine spends on the server, however it is split into processes.
 */
export async function processTreeCpuMs(root: number): Promise<number> {
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
  let total = 0;
  for (const pid of tree) total += await processCpuMs(pid).catch(() => 0);
  return total;
}

/** The fields of /proc/<pid>/stat after the command name: state, ppid, … (utime and stime at 11 and 12). */
async function statFields(pid: number): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
