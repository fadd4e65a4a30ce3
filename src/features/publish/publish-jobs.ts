import { randomBytes } from 'node:crypto';
import type { CreatedService } from '../hosted-services.js';

/** What `items/<id>/status?jobId=` reports for a publish, as ArcGIS Online words it. */
export interface PublishStatus {
  status: 'processing' | 'completed' | 'failed';
  statusMessage: string;
  itemId: string;
}

const MAX_KEPT = 1000;

/**
 * Publishes that outlive their request: a large file's service is created and answered at once,
 * its features load in the background, and the status says processing until they are in. In
 * memory: one process's view (a restart forgets the job; a half-loaded service stays, as one a
 * client abandoned would).
 */
export class PublishJobs {
  private readonly jobs = new Map<string, PublishStatus>();

  /**
   * Runs `publish`; resolves with the service and a job id once the service exists (its features
   * still loading), or rejects when it fails before that.
   */
  start(publish: (onCreated: (created: CreatedService) => void) => Promise<CreatedService>): Promise<{ created: CreatedService; jobId: string }> {
    const jobId = randomBytes(16).toString('hex');
    return new Promise((resolve, reject) => {
      let announced = false;
      const onCreated = (created: CreatedService) => {
        announced = true;
        this.set(jobId, { status: 'processing', statusMessage: 'processing', itemId: created.item.id });
        resolve({ created, jobId });
      };
      publish(onCreated).then(
        (created) => this.set(jobId, { status: 'completed', statusMessage: 'completed', itemId: created.item.id }),
        (error: unknown) => {
          if (!announced) return reject(error);
          const itemId = this.jobs.get(jobId)?.itemId ?? '';
          const message = error instanceof Error ? error.message : 'failed';
          this.set(jobId, { status: 'failed', statusMessage: `failed: ${message}`, itemId });
        },
      );
    });
  }

  get(jobId: string): PublishStatus | undefined {
    return this.jobs.get(jobId);
  }

  private set(jobId: string, status: PublishStatus): void {
    this.jobs.set(jobId, status);
    if (this.jobs.size > MAX_KEPT) this.jobs.delete(this.jobs.keys().next().value!);
  }
}
