import { ApiError } from '../../errors.js';
import { sendResource } from '../../http/respond.js';
import type { JobRecord } from '../../store/job-queue.js';
import { toParamValueJson } from '../gp-json.js';
import type { JobService } from '../job-service.js';
import { toEsriStatus } from '../job-status.js';
import type { GpOperation, GPParams } from './gp-lookup.js';

type Direction = 'input' | 'output';
const folderOf = (direction: Direction) => (direction === 'input' ? 'inputs' : 'results');

/** `jobs/<id>/inputs` and `jobs/<id>/results` (ArcGIS GP Job inputs and results). */
function valuesOperation(direction: Direction): GpOperation {
  const folder = folderOf(direction);
  return {
    path: `/:task/jobs/:jobId/${folder}`,
    htmlByDefault: true,
    async handle(request, reply, deps) {
      const { task, job } = await deps.findJob(request);
      const values = await valuesOf(deps.jobs, job, direction, task.definition.name);
      const body = task.definition.parameters.filter((p) => p.direction === direction).map((p) => toParamValueJson(p, values[p.name]));
      return sendResource(request, reply, { [folder]: body }, { title: `Job ${folder}: ${job.id}` });
    },
  };
}

/** `jobs/<id>/inputs/<param>` and `jobs/<id>/results/<param>` (ArcGIS GP Result): one value. */
function valueOperation(direction: Direction): GpOperation {
  return {
    path: `/:task/jobs/:jobId/${folderOf(direction)}/:param`,
    htmlByDefault: true,
    async handle(request, reply, deps) {
      const { task, job } = await deps.findJob(request);
      const name = (request.params as GPParams).param!;
      const parameter = task.definition.parameters.find((p) => p.direction === direction && p.name.toLowerCase() === name.toLowerCase());
      if (!parameter) throw ApiError.invalidParameter(`'${name}' is not an ${direction} parameter of task '${task.definition.name}'.`);
      const value = (await valuesOf(deps.jobs, job, direction, task.definition.name))[parameter.name];
      return sendResource(request, reply, toParamValueJson(parameter, value), { title: `${parameter.name} (${parameter.dataType})` });
    },
  };
}

/** Inputs always; results only once the job has succeeded. */
async function valuesOf(jobs: Pick<JobService, 'inputs'>, job: JobRecord, direction: Direction, task: string): Promise<Record<string, unknown>> {
  if (direction === 'input') return jobs.inputs(job.id);
  if (job.state !== 'succeeded') {
    throw ApiError.unableToComplete(`Results of job '${job.id}' (${task}) are not available: it is ${toEsriStatus(job.state)}.`);
  }
  return job.results ?? {};
}

export const jobValueOperations = (['input', 'output'] as const).flatMap((direction) => [valuesOperation(direction), valueOperation(direction)]);
