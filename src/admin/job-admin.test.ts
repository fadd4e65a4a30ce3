import { describe, expect, it } from 'vitest';
import { Params } from '../params.js';
import { parseJobQuery, toJobStatistics } from './job-admin.js';

const parse = (query: Record<string, string>) => parseJobQuery(new Params(query), 'System/RasterAnalysisTools', 'RasterAnalysisTools');

describe('parseJobQuery', () => {
  it.each<[Record<string, string>, Record<string, unknown>, { start: number; number: number }]>([
    [{}, { service: 'System/RasterAnalysisTools' }, { start: 1, number: 10 }],
    [{ jobStatus: 'esriJobSucceeded' }, { states: ['succeeded'] }, { start: 1, number: 10 }],
    [{ jobStatus: 'esriJobNew' }, { states: [] }, { start: 1, number: 10 }],
    [{ userName: 'ana' }, { owner: 'ana' }, { start: 1, number: 10 }],
    [{ userName: 'null' }, { owner: null }, { start: 1, number: 10 }],
    [{ machineName: 'host-1' }, { machine: 'host-1' }, { start: 1, number: 10 }],
    [{ startTime: '1000', endTime: '2000' }, { submittedFrom: 1000, submittedTo: 2000 }, { start: 1, number: 10 }],
    [{ startTime: '2025-01-01T00:00:00Z' }, { submittedFrom: 1735689600000 }, { start: 1, number: 10 }],
    [{ start: '11', number: '50' }, {}, { start: 11, number: 50 }],
    [{ num: '5' }, {}, { start: 1, number: 5 }],
  ])('%j → %j', (query, filter, page) => {
    const parsed = parse(query);
    expect(parsed.filter).toMatchObject(filter);
    expect({ start: parsed.start, number: parsed.number }).toEqual(page);
  });

  it('ends an open time range now', () => {
    const before = Date.now();
    expect(parse({ startTime: '1000' }).filter.submittedTo).toBeGreaterThanOrEqual(before);
  });

  it.each([
    [{ jobStatus: 'esriJobSleeping' }, "'jobStatus' parameter is invalid: 'esriJobSleeping' is not a job status"],
    [{ startTime: 'yesterday' }, "'startTime' parameter is invalid: expected epoch milliseconds or yyyy-mm-ddThh:mm:ss"],
    [{ number: '0' }, "'number' parameter is invalid: expected 1 to 10000"],
    [{ number: '10001' }, "'number' parameter is invalid: expected 1 to 10000"],
    [{ start: '0' }, "'start' parameter is invalid: the first job is number 1"],
  ])('%j → 400 "%s"', (query, detail) => {
    expect(() => parse(query)).toThrow(expect.objectContaining({ code: 400, details: [detail] }));
  });
});

describe('toJobStatistics', () => {
  it('totals the counts and lists every status', () => {
    expect(toJobStatistics({ succeeded: 3, failed: 1, 'timed-out': 2 })).toEqual({
      total: 6,
      submitted: 0,
      waiting: 0,
      executing: 0,
      succeeded: 3,
      failed: 1,
      timedOut: 2,
      cancelling: 0,
      cancelled: 0,
      deleting: 0,
    });
  });
});
