import type pg from 'pg';
import type { JournalStore } from '../journal-store.js';

/** Job journals in the `job_journal` table (jobs migration); removed with the job. */
export class PgJournalStore implements JournalStore {
  constructor(private readonly pool: pg.Pool) {}

  async append(jobId: string, entry: string): Promise<void> {
    await this.pool.query('INSERT INTO job_journal (job_id, entry) VALUES ($1, $2)', [jobId, entry]);
  }

  async read(jobId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ entry: string }>('SELECT entry FROM job_journal WHERE job_id = $1 ORDER BY seq', [jobId]);
    return rows.map((row) => row.entry);
  }
}
