import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findVisibleService, serviceNotFound } from '../catalog/service-access.js';
import type { AppContext } from '../context.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { requirePost, requirePrivilege } from '../http/guards.js';
import { formatOf, sendResource } from '../http/respond.js';
import type { JobRecord } from '../store/job-queue.js';
import { submitPrivilege, type RegisteredService, type RegisteredTask } from './gp-registry.js';
import { toJobJson, toParamValueJson, toServiceJson, toTaskJson } from './gp-json.js';
import { assertCanSeeJob, jobNotFound } from './job-access.js';
import { jobPage, jobUrl, servicePage, taskPage } from './job-pages.js';
import { toEsriMessage, toEsriStatus } from './job-status.js';

interface GPParams {
  folder?: string;
  name: string;
  task?: string;
  jobId?: string;
  param?: string;
}

/** `rest/services/[<folder>/]<name>/GPServer/…`: service and task info, submitJob, execute, jobs. */
export async function gpRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const jobs = context.jobs;
  if (!jobs) return;
  const base = (request: FastifyRequest) => publicBaseUrl(context.config, request);

  async function findService(request: FastifyRequest): Promise<RegisteredService> {
    const { folder = '', name } = request.params as GPParams;
    const service = jobs!.registry.findService(folder, name);
    if (!service) throw serviceNotFound(folder, name, 'GPServer');
    const { definition } = service;
    await findVisibleService(context.stores.services, request.arcgis.principal, definition.folder, definition.name, 'GPServer');
    return service;
  }

  async function findTask(request: FastifyRequest): Promise<RegisteredTask> {
    const service = await findService(request);
    const name = (request.params as GPParams).task!;
    const task = service.tasks.find((t) => t.definition.name.toLowerCase() === name.toLowerCase());
    if (!task) throw new ApiError(400, 'Invalid URL', [`Task '${name}' does not exist in '${service.key}'.`]);
    return task;
  }

  async function findJob(request: FastifyRequest): Promise<{ task: RegisteredTask; job: JobRecord }> {
    const task = await findTask(request);
    const id = (request.params as GPParams).jobId!;
    const job = await jobs!.get(id);
    if (!job || job.service !== task.service.key || job.task !== task.definition.name) throw jobNotFound(id);
    assertCanSeeJob(job, request.arcgis.principal);
    return { task, job };
  }

  /** A token that came as a parameter, carried on into links and forms of HTML pages. */
  const pageToken = (request: FastifyRequest) => (request.arcgis.principal?.tokenSource === 'header' ? undefined : request.arcgis.params.string('token'));

  /** `htmlByDefault`: the job operations whose reference says "The default response format is html". */
  const route = (url: string, handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>, htmlByDefault = false) =>
    app.route({ method: ['GET', 'POST'], url, handler, config: htmlByDefault ? { defaultFormat: 'html' } : {} });

  for (const prefix of ['/rest/services/:folder/:name/GPServer', '/rest/services/:name/GPServer']) {
    route(prefix, async (request, reply) => {
      const service = await findService(request);
      return sendResource(request, reply, toServiceJson(service.definition), servicePage(base(request), service));
    });

    route(`${prefix}/:task`, async (request, reply) => {
      const task = await findTask(request);
      return sendResource(request, reply, toTaskJson(task.service.definition, task.definition), taskPage(base(request), task, pageToken(request)));
    });

    route(`${prefix}/:task/submitJob`, async (request, reply) => {
      const task = await findTask(request);
      if (task.service.definition.executionType !== 'esriExecutionTypeAsynchronous') {
        throw ApiError.unableToComplete(`Task '${task.definition.name}' runs synchronously: use execute, not submitJob.`);
      }
      const principal = authorizeSubmit(request, task);
      const job = await jobs.submit(task, (name) => request.arcgis.params.string(name), principal, base(request));
      if (formatOf(request) === 'html') {
        // ArcGIS redirects to the job page. A token never goes into a Location header (it would
        // land in logs and history): a request that carried one gets the job page itself.
        if (pageToken(request)) {
          const record = (await jobs.get(job.id)) ?? job;
          return sendResource(request, reply, toJobJson(record, task.definition, []), jobPage(base(request), task, record, pageToken(request)));
        }
        return reply.redirect(`${jobUrl(base(request), task, job.id)}?f=html`, 302);
      }
      return sendResource(request, reply, { jobId: job.id, jobStatus: 'esriJobSubmitted' });
    }, true);

    route(`${prefix}/:task/execute`, async (request, reply) => {
      const task = await findTask(request);
      if (task.service.definition.executionType !== 'esriExecutionTypeSynchronous') {
        throw ApiError.unableToComplete(`Task '${task.definition.name}' runs asynchronously: use submitJob, not execute.`);
      }
      const principal = authorizeSubmit(request, task);
      const { job, messages } = await jobs.execute(task, (name) => request.arcgis.params.string(name), principal, base(request));
      if (job.state !== 'succeeded') {
        throw ApiError.unableToComplete(...messages.filter((m) => m.type === 'error').map((m) => m.description));
      }
      const results = task.definition.parameters.filter((p) => p.direction === 'output').map((p) => toParamValueJson(p, job.results?.[p.name]));
      return sendResource(request, reply, { results, messages: messages.map(toEsriMessage) });
    });

    route(`${prefix}/:task/jobs/:jobId`, async (request, reply) => {
      const { task, job } = await findJob(request);
      const messages = request.arcgis.params.bool('returnMessages', true) ? await jobs.messages(job.id) : [];
      return sendResource(request, reply, toJobJson(job, task.definition, messages), jobPage(base(request), task, job, pageToken(request)));
    }, true);

    for (const direction of ['input', 'output'] as const) {
      const folder = direction === 'input' ? 'inputs' : 'results';
      route(`${prefix}/:task/jobs/:jobId/${folder}`, async (request, reply) => {
        const { task, job } = await findJob(request);
        const values = valuesOf(job, direction, task.definition.name);
        const body = task.definition.parameters.filter((p) => p.direction === direction).map((p) => toParamValueJson(p, values[p.name]));
        return sendResource(request, reply, { [folder]: body }, { title: `Job ${folder}: ${job.id}` });
      }, true);
      route(`${prefix}/:task/jobs/:jobId/${folder}/:param`, async (request, reply) => {
        const { task, job } = await findJob(request);
        const name = (request.params as GPParams).param!;
        const parameter = task.definition.parameters.find((p) => p.direction === direction && p.name.toLowerCase() === name.toLowerCase());
        if (!parameter) throw ApiError.invalidParameter(`'${name}' is not an ${direction} parameter of task '${task.definition.name}'.`);
        const value = valuesOf(job, direction, task.definition.name)[parameter.name];
        return sendResource(request, reply, toParamValueJson(parameter, value), { title: `${parameter.name} (${parameter.dataType})` });
      }, true);
    }

    route(`${prefix}/:task/jobs/:jobId/cancel`, async (request, reply) => {
      const { job } = await findJob(request);
      const cancel = await jobs.cancel(job.id);
      if (!cancel) throw jobNotFound(job.id);
      if (!cancel.accepted) throw ApiError.invalidParameter(`Job '${job.id}' cannot be cancelled: it is ${toEsriStatus(cancel.state)}.`);
      return sendResource(request, reply, { jobId: job.id, jobStatus: toEsriStatus(cancel.state) });
    });

    route(`${prefix}/:task/jobs/:jobId/delete`, async (request, reply) => {
      requirePost(request);
      const { job } = await findJob(request);
      if (!(await jobs.delete(job.id))) throw jobNotFound(job.id);
      return sendResource(request, reply, { jobId: job.id, jobStatus: 'esriJobDeleted' }, { title: `Job ${job.id} deleted` });
    });
  }
}

/** The privilege the task declares (its own or its service's), checked on the caller. */
function authorizeSubmit(request: FastifyRequest, task: RegisteredTask) {
  const privilege = submitPrivilege(task);
  return privilege ? requirePrivilege(request, privilege) : request.arcgis.principal;
}

/** Inputs always; results only once the job has succeeded. */
function valuesOf(job: JobRecord, direction: 'input' | 'output', task: string): Record<string, unknown> {
  if (direction === 'input') return job.inputs;
  if (job.state !== 'succeeded') {
    throw ApiError.unableToComplete(`Results of job '${job.id}' (${task}) are not available: it is ${toEsriStatus(job.state)}.`);
  }
  return job.results ?? {};
}
