import { sendResource } from '../../http/respond.js';
import { toServiceJson, toTaskJson } from '../gp-json.js';
import { servicePage, taskPage } from '../job-pages.js';
import { pageToken, type GpOperation } from './gp-lookup.js';

/** The GP service resource (ArcGIS GP Service): its tasks. */
export const serviceInfoOperation: GpOperation = {
  path: '',
  async handle(request, reply, deps) {
    const service = await deps.findService(request);
    return sendResource(request, reply, toServiceJson(service.definition), servicePage(deps.base(request), service));
  },
};

/** The GP task resource (ArcGIS GP Task): its parameters, and a form that submits a job. */
export const taskInfoOperation: GpOperation = {
  path: '/:task',
  async handle(request, reply, deps) {
    const task = await deps.findTask(request);
    return sendResource(request, reply, toTaskJson(task.service.definition, task.definition), taskPage(deps.base(request), task, pageToken(request)));
  },
};
