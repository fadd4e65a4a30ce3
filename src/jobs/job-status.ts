import type { JobMessage, JobState } from '../store/job-queue.js';

/** The wire names of job states (ArcGIS esriJob* statuses). Only output uses them. */
export type EsriJobStatus =
  | 'esriJobNew'
  | 'esriJobSubmitted'
  | 'esriJobWaiting'
  | 'esriJobExecuting'
  | 'esriJobSucceeded'
  | 'esriJobFailed'
  | 'esriJobTimedOut'
  | 'esriJobCancelling'
  | 'esriJobCancelled'
  | 'esriJobDeleting'
  | 'esriJobDeleted';

const ESRI_STATUS: Record<JobState, EsriJobStatus> = {
  submitted: 'esriJobSubmitted',
  waiting: 'esriJobWaiting',
  executing: 'esriJobExecuting',
  succeeded: 'esriJobSucceeded',
  failed: 'esriJobFailed',
  'timed-out': 'esriJobTimedOut',
  cancelling: 'esriJobCancelling',
  cancelled: 'esriJobCancelled',
  deleting: 'esriJobDeleting',
};

export function toEsriStatus(state: JobState): EsriJobStatus {
  return ESRI_STATUS[state];
}

/**
 * The internal states an `esriJob*` filter selects, or undefined when the name is unknown.
 * New and Deleted never appear in records (jobs are created submitted, deleted ones are gone).
 */
export function statesForEsriStatus(status: string): JobState[] | undefined {
  const lower = status.toLowerCase();
  if (lower === 'esrijobnew' || lower === 'esrijobdeleted') return [];
  const match = (Object.entries(ESRI_STATUS) as Array<[JobState, EsriJobStatus]>).find(([, esri]) => esri.toLowerCase() === lower);
  return match && [match[0]];
}

const MESSAGE_TYPE: Record<JobMessage['type'], string> = {
  informative: 'esriJobMessageTypeInformative',
  warning: 'esriJobMessageTypeWarning',
  error: 'esriJobMessageTypeError',
};

export function toEsriMessage(message: JobMessage): { type: string; description: string } {
  return { type: MESSAGE_TYPE[message.type], description: message.description };
}
