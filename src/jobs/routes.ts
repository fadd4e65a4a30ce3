import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { createGpDeps, type GpOperation } from './operations/gp-lookup.js';
import { cancelJobOperation, deleteJobOperation, jobInfoOperation } from './operations/job-info.js';
import { jobValueOperations } from './operations/job-values.js';
import { serviceInfoOperation, taskInfoOperation } from './operations/service-info.js';
import { executeOperation, submitJobOperation } from './operations/submit-job.js';

/** The GPServer resources and operations, one module each in `operations/`. */
const OPERATIONS: GpOperation[] = [
  serviceInfoOperation,
  taskInfoOperation,
  submitJobOperation,
  executeOperation,
  jobInfoOperation,
  ...jobValueOperations,
  cancelJobOperation,
  deleteJobOperation,
];

/** `rest/services/[<folder>/]<name>/GPServer/…`: service and task info, submitJob, execute, jobs. */
export async function gpRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  if (!context.jobs) return;
  const deps = createGpDeps(context, context.jobs);
  for (const prefix of ['/rest/services/:folder/:name/GPServer', '/rest/services/:name/GPServer']) {
    for (const operation of OPERATIONS) {
      app.route({
        method: ['GET', 'POST'],
        url: `${prefix}${operation.path}`,
        handler: (request, reply) => operation.handle(request, reply, deps),
        config: operation.htmlByDefault ? { defaultFormat: 'html' } : {},
      });
    }
  }
}
