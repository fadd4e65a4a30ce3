import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { requirePrivilege } from '../../http/guards.js';
import { formatOf, sendResource } from '../../http/respond.js';
import { submitPrivilege, type RegisteredTask } from '../gp-registry.js';
import { toJobJson, toParamValueJson } from '../gp-json.js';
import { jobPage, jobUrl } from '../job-pages.js';
import { toEsriMessage } from '../job-status.js';
import { pageToken, type GpOperation } from './gp-lookup.js';

/** `submitJob` (ArcGIS Submit GP Job) of an asynchronous task; its inputs are the task's own parameters. */
export const submitJobOperation: GpOperation = {
  path: '/:task/submitJob',
  htmlByDefault: true,
  async handle(request, reply, deps) {
    const task = await deps.findTask(request);
    if (task.service.definition.executionType !== 'esriExecutionTypeAsynchronous') {
      throw ApiError.unableToComplete(`Task '${task.definition.name}' runs synchronously: use execute, not submitJob.`);
    }
    const principal = authorizeSubmit(request, task);
    const base = deps.base(request);
    const job = await deps.jobs.submit(task, (name) => request.arcgis.params.string(name), principal, base);
    if (formatOf(request) === 'html') {
      // ArcGIS redirects to the job page. A token never goes into a Location header (it would
      // land in logs and history): a request that carried one gets the job page itself.
      if (pageToken(request)) {
        const record = (await deps.jobs.get(job.id)) ?? job;
        return sendResource(request, reply, toJobJson(record, task.definition, []), jobPage(base, task, record, pageToken(request)));
      }
      return reply.redirect(`${jobUrl(base, task, job.id)}?f=html`, 302);
    }
    return sendResource(request, reply, { jobId: job.id, jobStatus: 'esriJobSubmitted' });
  },
};

/** `execute` (ArcGIS Execute GP Task) of a synchronous task: runs it and answers its results. */
export const executeOperation: GpOperation = {
  path: '/:task/execute',
  async handle(request, reply, deps) {
    const task = await deps.findTask(request);
    if (task.service.definition.executionType !== 'esriExecutionTypeSynchronous') {
      throw ApiError.unableToComplete(`Task '${task.definition.name}' runs asynchronously: use submitJob, not execute.`);
    }
    const principal = authorizeSubmit(request, task);
    const { job, messages } = await deps.jobs.execute(task, (name) => request.arcgis.params.string(name), principal, deps.base(request));
    if (job.state !== 'succeeded') {
      throw ApiError.unableToComplete(...messages.filter((m) => m.type === 'error').map((m) => m.description));
    }
    const results = task.definition.parameters.filter((p) => p.direction === 'output').map((p) => toParamValueJson(p, job.results?.[p.name]));
    return sendResource(request, reply, { results, messages: messages.map(toEsriMessage) });
  },
};

/** The privilege the task declares (its own or its service's), checked on the caller. */
function authorizeSubmit(request: FastifyRequest, task: RegisteredTask) {
  const privilege = submitPrivilege(task);
  return privilege ? requirePrivilege(request, privilege) : request.arcgis.principal;
}
