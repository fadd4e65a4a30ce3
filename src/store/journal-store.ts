/**
 * Write-ahead journal lines of running jobs (see tasks/image-collection/job-journal.ts), kept
 * where every node can read them, so that a job killed on one node is undone by another.
 */
export interface JournalStore {
  append(jobId: string, entry: string): Promise<void>;
  /** The lines of a job, oldest first. */
  read(jobId: string): Promise<string[]>;
}
