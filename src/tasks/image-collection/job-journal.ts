import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageServiceDefinition } from '../../imagery/image-service-definition.js';
import type { JournalStore } from '../../store/journal-store.js';

/**
 * What a job is about to change outside its catalog rows, written before the change is made
 * (write-ahead), so that a rollback after a failure, a cancel or a crash (even `kill -9` of the
 * server) knows exactly what to undo. Catalog rows need no entry: they carry the job id.
 */
export type JournalEntry =
  /** A folder of the raster store that only this job writes. */
  | { type: 'rasterDir'; path: string; root?: string }
  /** A service this job creates (deleted on rollback if its definition still names this job). */
  | { type: 'serviceCreated'; folder: string; name: string }
  /** An existing service (pre-created by the portal) this job points at its collection. */
  | { type: 'serviceUpdated'; folder: string; name: string; previous: ImageServiceDefinition }
  /** A portal item this job creates, with an id chosen up front. */
  | { type: 'itemCreated'; id: string }
  /** An analysis result published as a new hosted feature service (deleted if created since). */
  | { type: 'featureServiceCreated'; name: string; since: number }
  /** An analysis result loaded into a feature service the portal pre-created (emptied again). */
  | { type: 'featureServiceFilled'; name: string }
  /** A deletion committed: from here on a rollback finishes the work instead of undoing it. */
  | { type: 'deleteCommitted'; files: string[]; folders: string[]; root?: string; service?: { folder: string; name: string }; itemId?: string | null };

const FILE = 'imagery-journal.jsonl';

/** What a journal is opened from: the task context (or the rollback's). */
export interface JournalContext {
  jobId: string;
  scratchDir: string;
  stores: { journal?: JournalStore };
}

/**
 * Appends entries to `<scratchDir>/imagery-journal.jsonl`, one JSON line each, and, in a
 * cluster, to the shared journal store, so that the node that recovers a job killed elsewhere
 * can read it.
 */
export class JobJournal {
  private readonly file: string;

  private constructor(
    scratchDir: string,
    private readonly jobId: string,
    private readonly shared: JournalStore | undefined,
  ) {
    mkdirSync(scratchDir, { recursive: true });
    this.file = path.join(scratchDir, FILE);
  }

  static open(context: JournalContext): JobJournal {
    return new JobJournal(context.scratchDir, context.jobId, context.stores.journal);
  }

  /** Resolves once the entry is recorded everywhere it is kept: await it before the change. */
  async record(entry: JournalEntry): Promise<void> {
    const line = JSON.stringify(entry);
    // Synchronous append: the line is in the OS before the change it announces begins, which
    // is what survives a killed process (power loss is not the failure this guards against).
    appendFileSync(this.file, `${line}\n`);
    await this.shared?.append(this.jobId, line);
  }

  /** The entries of a job's journal, oldest first; none when the job never wrote one. */
  static async read(context: JournalContext): Promise<JournalEntry[]> {
    const lines = context.stores.journal ? await context.stores.journal.read(context.jobId) : readLocal(context.scratchDir);
    // A line cut short by a crash is the last one and announced nothing that happened yet.
    return lines
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as JournalEntry];
        } catch {
          return [];
        }
      });
  }
}

function readLocal(scratchDir: string): string[] {
  try {
    return readFileSync(path.join(scratchDir, FILE), 'utf8').split('\n');
  } catch {
    return [];
  }
}
