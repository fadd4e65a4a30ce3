import { describe, expect, it } from 'vitest';
import { statesForEsriStatus, toEsriStatus } from './job-status.js';

describe('job status names', () => {
  it.each([
    ['submitted', 'esriJobSubmitted'],
    ['waiting', 'esriJobWaiting'],
    ['executing', 'esriJobExecuting'],
    ['succeeded', 'esriJobSucceeded'],
    ['failed', 'esriJobFailed'],
    ['timed-out', 'esriJobTimedOut'],
    ['cancelling', 'esriJobCancelling'],
    ['cancelled', 'esriJobCancelled'],
    ['deleting', 'esriJobDeleting'],
  ] as const)('%s ⇄ %s', (state, esri) => {
    expect(toEsriStatus(state)).toBe(esri);
    expect(statesForEsriStatus(esri)).toEqual([state]);
    expect(statesForEsriStatus(esri.toLowerCase())).toEqual([state]);
  });

  it.each([
    ['esriJobNew', []],
    ['esriJobDeleted', []],
    ['esriJobSleeping', undefined],
  ])('%s selects %j', (esri, states) => {
    expect(statesForEsriStatus(esri)).toEqual(states);
  });
});
