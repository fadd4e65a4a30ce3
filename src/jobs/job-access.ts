import type { Principal } from '../auth/principal.js';
import { ApiError } from '../errors.js';
import type { JobRecord } from '../store/job-queue.js';

/**
 * The submitter and administrators see a job; an anonymous job is open to whoever has its id
 * (ids are 128 random bits, so the id is the secret).
 */
export function canSeeJob(job: Pick<JobRecord, 'owner'>, principal: Principal | null): boolean {
  if (job.owner === null) return true;
  if (!principal) return false;
  return principal.isAdmin || principal.username.toLowerCase() === job.owner.toLowerCase();
}

export function jobNotFound(id: string): ApiError {
  return new ApiError(400, 'Unable to complete operation.', [`Job '${id}' does not exist or is inaccessible.`]);
}

/** 499 for anonymous callers (so clients sign in and retry), 403 for other users. */
export function assertCanSeeJob(job: Pick<JobRecord, 'owner'>, principal: Principal | null): void {
  if (!canSeeJob(job, principal)) throw principal ? ApiError.forbidden() : ApiError.tokenRequired();
}
