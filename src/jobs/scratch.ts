import { rm } from 'node:fs/promises';
import path from 'node:path';

/** `<dataDir>/jobs/<jobId>/`: a job's own folder, gone when the job is deleted or expires. */
export function scratchDirOf(dataDir: string, jobId: string): string {
  // Job ids are generated here (`j` + hex), but a path never trusts what a URL carried.
  if (!/^j[0-9a-f]{32}$/.test(jobId)) throw new Error(`not a job id: ${jobId}`);
  return path.join(dataDir, 'jobs', jobId);
}

export async function removeScratch(dataDir: string, jobId: string): Promise<void> {
  await rm(scratchDirOf(dataDir, jobId), { recursive: true, force: true });
}
