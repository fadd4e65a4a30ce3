import { ApiError } from '../../errors.js';
import { boolParam, readParams } from '../../http/operation-params.js';
import { requirePost } from '../../http/guards.js';
import { sendResource } from '../../http/respond.js';
import { toJobJson } from '../gp-json.js';
import { jobNotFound } from '../job-access.js';
import { jobPage } from '../job-pages.js';
import { toEsriStatus } from '../job-status.js';
import { pageToken, type GpOperation } from './gp-lookup.js';

/** The job resource's parameters (ArcGIS GP Job). */
export const JOB_PARAMS = {
  returnMessages: boolParam(true),
};

/** The job resource (ArcGIS GP Job): status, messages, links to inputs and results. */
export const jobInfoOperation: GpOperation = {
  path: '/:task/jobs/:jobId',
  htmlByDefault: true,
  async handle(request, reply, deps) {
    const { task, job } = await deps.findJob(request);
    const { returnMessages } = readParams(JOB_PARAMS, request.arcgis.params, undefined);
    const messages = returnMessages ? await deps.jobs.messages(job.id) : [];
    return sendResource(request, reply, toJobJson(job, task.definition, messages), jobPage(deps.base(request), task, job, pageToken(request)));
  },
};

/** `cancel` (ArcGIS Cancel GP Job): refused once the job has finished. */
export const cancelJobOperation: GpOperation = {
  path: '/:task/jobs/:jobId/cancel',
  async handle(request, reply, deps) {
    const { job } = await deps.findJob(request);
    const cancel = await deps.jobs.cancel(job.id);
    if (!cancel) throw jobNotFound(job.id);
    if (!cancel.accepted) throw ApiError.invalidParameter(`Job '${job.id}' cannot be cancelled: it is ${toEsriStatus(cancel.state)}.`);
    return sendResource(request, reply, { jobId: job.id, jobStatus: toEsriStatus(cancel.state) });
  },
};

/** `delete` (ArcGIS Delete GP Job): the job and its files; POST only. */
export const deleteJobOperation: GpOperation = {
  path: '/:task/jobs/:jobId/delete',
  async handle(request, reply, deps) {
    requirePost(request);
    const { job } = await deps.findJob(request);
    if (!(await deps.jobs.delete(job.id))) throw jobNotFound(job.id);
    return sendResource(request, reply, { jobId: job.id, jobStatus: 'esriJobDeleted' }, { title: `Job ${job.id} deleted` });
  },
};
