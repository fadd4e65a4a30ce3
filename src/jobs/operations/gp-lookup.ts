import type { FastifyReply, FastifyRequest } from 'fastify';
import { findVisibleService, serviceNotFound } from '../../catalog/service-access.js';
import type { AppContext } from '../../context.js';
import { ApiError } from '../../errors.js';
import { publicBaseUrl } from '../../http/base-url.js';
import type { JobRecord } from '../../store/job-queue.js';
import type { RegisteredService, RegisteredTask } from '../gp-registry.js';
import { assertCanSeeJob, jobNotFound } from '../job-access.js';
import type { JobService } from '../job-service.js';

export interface GPParams {
  folder?: string;
  name: string;
  task?: string;
  jobId?: string;
  param?: string;
}

/** What the GPServer operations share: the job service and the lookups of their URL's parts. */
export interface GpDeps {
  jobs: JobService;
  /** The public base URL of the request (links, redirects). */
  base(request: FastifyRequest): string;
  findService(request: FastifyRequest): Promise<RegisteredService>;
  findTask(request: FastifyRequest): Promise<RegisteredTask>;
  findJob(request: FastifyRequest): Promise<{ task: RegisteredTask; job: JobRecord }>;
}

/** One operation below `…/GPServer`: its path and handler. */
export interface GpOperation {
  path: string;
  /** The job operations whose reference says "The default response format is html". */
  htmlByDefault?: boolean;
  handle(request: FastifyRequest, reply: FastifyReply, deps: GpDeps): Promise<FastifyReply>;
}

export function createGpDeps(context: AppContext, jobs: JobService): GpDeps {
  const findService = async (request: FastifyRequest): Promise<RegisteredService> => {
    const { folder = '', name } = request.params as GPParams;
    const service = jobs.registry.findService(folder, name);
    if (!service) throw serviceNotFound(folder, name, 'GPServer');
    const { definition } = service;
    await findVisibleService(context.stores.services, request.arcgis.principal, definition.folder, definition.name, 'GPServer');
    return service;
  };
  const findTask = async (request: FastifyRequest): Promise<RegisteredTask> => {
    const service = await findService(request);
    const name = (request.params as GPParams).task!;
    const task = service.tasks.find((t) => t.definition.name.toLowerCase() === name.toLowerCase());
    if (!task) throw new ApiError(400, 'Invalid URL', [`Task '${name}' does not exist in '${service.key}'.`]);
    return task;
  };
  const findJob = async (request: FastifyRequest) => {
    const task = await findTask(request);
    const id = (request.params as GPParams).jobId!;
    const job = await jobs.get(id);
    if (!job || job.service !== task.service.key || job.task !== task.definition.name) throw jobNotFound(id);
    assertCanSeeJob(job, request.arcgis.principal);
    return { task, job };
  };
  return { jobs, base: (request) => publicBaseUrl(context.config, request), findService, findTask, findJob };
}

/** A token that came as a parameter, carried on into links and forms of HTML pages. */
export function pageToken(request: FastifyRequest): string | undefined {
  return request.arcgis.principal?.tokenSource === 'header' ? undefined : request.arcgis.params.string('token');
}
