import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { FINISHED_STATES, type JobQueue } from '../store/job-queue.js';

/** `<dataDir>/jobs/<jobId>/`: a job's own folder, gone when the job is deleted or expires. */
export function scratchDirOf(dataDir: string, jobId: string): string {
  // Job ids are generated here (`j` + hex), but a path never trusts what a URL carried.
  if (!/^j[0-9a-f]{32}$/.test(jobId)) throw new Error(`not a job id: ${jobId}`);
  return path.join(dataDir, 'jobs', jobId);
}

export async function removeScratch(dataDir: string, jobId: string): Promise<void> {
  await rm(scratchDirOf(dataDir, jobId), { recursive: true, force: true });
}

/**
 * Scratch folders a dead process of this node left behind. On a shared queue another node
 * recovers its jobs (their journals are in the database) but cannot reach this node's disk: a
 * node with workers removes, as it starts, the folders of jobs that no longer run anywhere.
 */
export async function removeOrphanScratch(queue: JobQueue, dataDir: string): Promise<void> {
  const names = await readdir(path.join(dataDir, 'jobs')).catch(() => [] as string[]);
  for (const name of names.filter((n) => /^j[0-9a-f]{32}$/.test(n))) {
    const job = await queue.get(name);
    if (!job || FINISHED_STATES.includes(job.state)) await removeScratch(dataDir, name);
  }
}
