import { randomBytes } from 'node:crypto';
import type { PublishJobRecord, PublishJobStore } from '../../store/shared-state-store.js';
import type { CreatedService } from '../hosted-services.js';

/** What `items/<id>/status?jobId=` reports for a publish, as ArcGIS Online words it. */
export type PublishStatus = PublishJobRecord;

/** Statuses are kept this long after their last change. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * Publishes that outlive their request: a large file's service is created and answered at once,
 * its features load in the background, and the status says processing until they are in. The
 * status is in the store, so any process or node answers it; the load itself runs in the process
 * that took the request (a restart leaves the status at processing and the service half loaded,
 * as one a client abandoned would).
 */
export class PublishJobs {
  private lastPrune = 0;

  constructor(private readonly store: PublishJobStore) {}

  /**
   * Runs `publish`; resolves with the service and a job id once the service exists (its features
   * still loading), or rejects when it fails before that.
   */
  start(publish: (onCreated: (created: CreatedService) => void) => Promise<CreatedService>): Promise<{ created: CreatedService; jobId: string }> {
    const jobId = newJobId();
    return new Promise((resolve, reject) => {
      let itemId: string | undefined;
      // Written in order: `completed` never lands before `processing`.
      let written: Promise<void> = Promise.resolve();
      const write = (record: PublishJobRecord) => (written = written.then(() => this.set(jobId, record)).catch(() => undefined));
      const onCreated = (created: CreatedService) => {
        itemId = created.item.id;
        write({ status: 'processing', statusMessage: 'processing', itemId });
        void written.then(() => resolve({ created, jobId }));
      };
      publish(onCreated).then(
        (created) => write({ status: 'completed', statusMessage: 'completed', itemId: created.item.id }),
        (error: unknown) => {
          if (itemId === undefined) return reject(error);
          const message = error instanceof Error ? error.message : 'failed';
          write({ status: 'failed', statusMessage: `failed: ${message}`, itemId });
        },
      );
    });
  }

  /** A publish that finished inside its request: its job id still answers `completed`. */
  async completed(itemId: string): Promise<string> {
    const jobId = newJobId();
    await this.set(jobId, { status: 'completed', statusMessage: 'completed', itemId });
    return jobId;
  }

  get(jobId: string): Promise<PublishStatus | undefined> {
    return this.store.get(jobId);
  }

  private async set(jobId: string, record: PublishJobRecord): Promise<void> {
    const now = Date.now();
    await this.store.set(jobId, record, now);
    if (now - this.lastPrune > 3600_000) {
      this.lastPrune = now;
      await this.store.prune(now - KEEP_MS);
    }
  }
}

function newJobId(): string {
  return randomBytes(16).toString('hex');
}
