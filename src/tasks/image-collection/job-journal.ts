import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageServiceDefinition } from '../../imagery/image-service-definition.js';

/**
 * What a job is about to change outside its catalog rows, written before the change is made
 * (write-ahead), so that a rollback after a failure, a cancel or a crash (even `kill -9` of the
 * server) knows exactly what to undo. Catalog rows need no entry: they carry the job id.
 */
export type JournalEntry =
  /** A folder of the raster store that only this job writes. */
  | { type: 'rasterDir'; path: string }
  /** A service this job creates (deleted on rollback if its definition still names this job). */
  | { type: 'serviceCreated'; folder: string; name: string }
  /** An existing service (pre-created by the portal) this job points at its collection. */
  | { type: 'serviceUpdated'; folder: string; name: string; previous: ImageServiceDefinition }
  /** A portal item this job creates, with an id chosen up front. */
  | { type: 'itemCreated'; id: string }
  /** A deletion committed: from here on a rollback finishes the work instead of undoing it. */
  | { type: 'deleteCommitted'; files: string[]; folders: string[]; service?: { folder: string; name: string }; itemId?: string | null };

const FILE = 'imagery-journal.jsonl';

/** Appends entries to `<scratchDir>/imagery-journal.jsonl`, one JSON line each, synchronously. */
export class JobJournal {
  private readonly file: string;

  constructor(scratchDir: string) {
    mkdirSync(scratchDir, { recursive: true });
    this.file = path.join(scratchDir, FILE);
  }

  record(entry: JournalEntry): void {
    // Synchronous append: the line is in the OS before the change it announces begins, which
    // is what survives a killed process (power loss is not the failure this guards against).
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  /** The entries of a job's journal, oldest first; none when the job never wrote one. */
  static read(scratchDir: string): JournalEntry[] {
    let text: string;
    try {
      text = readFileSync(path.join(scratchDir, FILE), 'utf8');
    } catch {
      return [];
    }
    // A line cut short by a crash is the last one and announced nothing that happened yet.
    return text
      .split('\n')
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
