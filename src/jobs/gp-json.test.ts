import { describe, expect, it } from 'vitest';
import type { JobRecord, JobState } from '../store/job-queue.js';
import { toJobJson, toParameterJson, toParamValueJson } from './gp-json.js';
import type { TaskDefinition, TaskParameter } from './task.js';

const parameter = (extra: Partial<TaskParameter>): TaskParameter => ({
  name: 'p',
  dataType: 'GPString',
  displayName: 'P',
  direction: 'input',
  required: false,
  ...extra,
});

describe('toParameterJson', () => {
  it.each<[Partial<TaskParameter>, Record<string, unknown>]>([
    [{ required: true }, { direction: 'esriGPParameterDirectionInput', parameterType: 'esriGPParameterTypeRequired', defaultValue: '' }],
    [{}, { parameterType: 'esriGPParameterTypeOptional' }],
    [{ direction: 'output' }, { direction: 'esriGPParameterDirectionOutput', parameterType: 'esriGPParameterTypeDerived' }],
    [{ direction: 'output', required: true }, { parameterType: 'esriGPParameterTypeRequired' }],
    [{ dataType: 'GPLong' }, { defaultValue: null }],
    [{ dataType: 'GPLong', defaultValue: 5 }, { defaultValue: 5 }],
    [{ choiceList: ['a', 'b'] }, { choiceList: ['a', 'b'] }],
  ])('%j → %j', (extra, expected) => {
    expect(toParameterJson(parameter(extra))).toMatchObject(expected);
  });
});

const task: TaskDefinition = {
  name: 'T',
  displayName: 'T',
  description: '',
  parameters: [parameter({ name: 'in' }), parameter({ name: 'out', direction: 'output' })],
  execute: async () => ({}),
};

const job = (state: JobState, progress: JobRecord['progress'] = null): JobRecord => ({
  id: 'j1',
  service: 'S',
  task: 'T',
  owner: null,
  state,
  results: null,
  baseUrl: '',
  progress,
  machine: null,
  workerPid: null,
  attempts: 1,
  submitted: 0,
  started: null,
  ended: null,
  heartbeat: null,
});

describe('toJobJson', () => {
  it.each<[JobState, JobRecord['progress'], Record<string, unknown> | undefined]>([
    ['executing', null, { type: 'default', message: 'Executing...' }],
    ['executing', { message: 'Reading' }, { type: 'default', message: 'Reading' }],
    ['executing', { message: 'Adding images', percent: 40 }, { type: 'step', message: 'Adding images', percent: 40 }],
    ['succeeded', { message: 'stale', percent: 90 }, undefined],
    ['waiting', null, undefined],
  ])('%s with progress %j → %j', (state, progress, expected) => {
    expect(toJobJson(job(state, progress), task, []).progress).toEqual(expected);
  });

  it('links results and inputs relative to the job, with esriJob* status and message types', () => {
    const json = toJobJson(job('timed-out'), task, [{ type: 'error', description: 'x', time: 0 }]);
    expect(json).toEqual({
      jobId: 'j1',
      jobStatus: 'esriJobTimedOut',
      results: { out: { paramUrl: 'results/out' } },
      inputs: { in: { paramUrl: 'inputs/in' } },
      messages: [{ type: 'esriJobMessageTypeError', description: 'x' }],
    });
  });

  it('answers a missing value as null', () => {
    expect(toParamValueJson(parameter({}), undefined)).toEqual({ paramName: 'p', dataType: 'GPString', value: null });
  });
});
