import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { CURRENT_VERSION } from '../directory/version.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { sendResource } from '../http/respond.js';
import { serviceKey } from '../jobs/gp-registry.js';
import type { JobService } from '../jobs/job-service.js';
import type { JobRecord } from '../store/job-queue.js';
import type { ServiceRecord, ServiceType } from '../store/service-store.js';
import { adminRoute } from './admin-guard.js';
import { parseJobQuery, toJobDetail, toJobStatistics, toJobSummary } from './job-admin.js';
import { toFolderJson, toServiceAdminJson } from './service-admin.js';

const SERVICE_TYPES: ServiceType[] = ['FeatureServer', 'MapServer', 'GPServer', 'ImageServer', 'GeometryServer'];

interface AdminParams {
  folder?: string;
  service: string;
  jobId?: string;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * The Server Administrator API below `/admin` (app.ts gives the prefix and the admin error shape):
 * folders and services, and the GP job endpoints (ArcGIS Server Administrator API).
 */
export async function adminRoutes(admin: FastifyInstance, context: AppContext): Promise<void> {
  registerServiceRoutes(admin, context);
  if (context.jobs) registerJobRoutes(admin, context, context.jobs);
}

/** `htmlByDefault`: operations whose reference says "The default response format is html". */
const route = (app: FastifyInstance, access: 'read' | 'write', url: string, handler: Handler, htmlByDefault = false) => adminRoute(app, access, url, handler, htmlByDefault);

function registerServiceRoutes(admin: FastifyInstance, context: AppContext): void {
  const { services } = context.stores;
  route(admin, 'read', '/', async (request, reply) =>
    sendResource(request, reply, { currentVersion: CURRENT_VERSION, resources: ['services'] }, { title: 'Server Administrator API' }),
  );
  route(admin, 'read', '/services', async (request, reply) => {
    const body = toFolderJson('', await services.folders(), await services.list(''));
    return sendResource(request, reply, body, { title: 'Services: /' });
  });
  route(admin, 'read', '/services/:service', async (request, reply) => {
    const { service: segment } = request.params as AdminParams;
    if (segment.includes('.')) return sendService(request, reply, await findService(context, '', segment));
    const folder = (await services.folders()).find((f) => f.toLowerCase() === segment.toLowerCase());
    if (!folder) throw new ApiError(404, 'Folder not found', [`Folder '${segment}' does not exist.`]);
    return sendResource(request, reply, toFolderJson(folder, [], await services.list(folder)), { title: `Services: ${folder}` });
  });
  route(admin, 'read', '/services/:folder/:service', async (request, reply) => {
    const { folder, service } = request.params as AdminParams;
    return sendService(request, reply, await findService(context, folder!, service));
  });

  function sendService(request: FastifyRequest, reply: FastifyReply, service: ServiceRecord) {
    const body = toServiceAdminJson(service, context.config.jobs.timeLimitSeconds);
    return sendResource(request, reply, body, { title: `${service.name}.${service.type}` });
  }
}

function registerJobRoutes(admin: FastifyInstance, context: AppContext, jobs: JobService): void {
  const restJobUrl = (request: FastifyRequest, job: JobRecord) =>
    `${publicBaseUrl(context.config, request)}/rest/services/${job.service}/GPServer/${job.task}/jobs/${job.id}`;

  const gpService = async (request: FastifyRequest) => {
    const { folder = '', service } = request.params as AdminParams;
    const record = await findService(context, folder, service);
    if (record.type !== 'GPServer') throw new ApiError(400, 'Invalid URL', [`'${service}' is not a geoprocessing service: it has no jobs.`]);
    return { record, key: serviceKey(record.folder, record.name) };
  };

  for (const prefix of ['/services/:folder/:service/jobs', '/services/:service/jobs']) {
    const list: Handler = async (request, reply) => {
      const { record, key } = await gpService(request);
      const query = parseJobQuery(request.arcgis.params, key, record.name);
      const { total, jobs: page } = await jobs.list(query.filter, { offset: query.start - 1, limit: query.number });
      const next = query.start + page.length;
      const body = {
        total,
        num: page.length,
        start: query.start,
        nextStart: next <= total ? next : -1,
        query: query.echo,
        results: page.map((job) => toJobSummary(job, restJobUrl(request, job))),
        resources: ['statistics'],
        operations: ['query', 'purgeQueue', 'statistics'],
      };
      const here = `${publicBaseUrl(context.config, request)}/admin/services/${key}.GPServer/jobs`;
      const links = page.map((job) => ({ label: job.id, href: `${here}/${job.id}`, note: toJobSummary(job, '').status as string }));
      return sendResource(request, reply, body, { title: `Jobs: ${record.name}`, links });
    };
    route(admin, 'read', prefix, list);
    route(admin, 'read', `${prefix}/query`, list);

    route(admin, 'read', `${prefix}/statistics`, async (request, reply) => {
      const { key } = await gpService(request);
      return sendResource(request, reply, toJobStatistics(await jobs.countByState({ service: key })), { title: 'Job Statistics' });
    });

    route(admin, 'write', `${prefix}/purgeQueue`, async (request, reply) => {
      const { key } = await gpService(request);
      await jobs.purgeQueue(key);
      return sendResource(request, reply, { status: 'success' });
    });

    route(admin, 'read', `${prefix}/:jobId`, async (request, reply) => {
      const job = await findJob(request, 'find');
      return sendResource(request, reply, toJobDetail(job, await jobs.inputs(job.id), restJobUrl(request, job), await jobs.messages(job.id)), { title: `Job ${job.id}` });
    });

    route(admin, 'write', `${prefix}/:jobId/cancel`, async (request, reply) => {
      const job = await findJob(request, 'cancel');
      // The documented answer for a job that cannot be cancelled is this error with code 500.
      if (!(await jobs.cancel(job.id))?.accepted) throw new ApiError(500, `Unable to cancel job :[${job.id}]`);
      return sendResource(request, reply, { status: 'success' });
    });

    route(admin, 'write', `${prefix}/:jobId/delete`, async (request, reply) => {
      const job = await findJob(request, 'delete');
      if (!(await jobs.delete(job.id))) throw new ApiError(400, `Unable to delete job :[${job.id}]`);
      return sendResource(request, reply, { status: 'success' }, { title: `Job ${job.id} deleted` });
    }, true);
  }

  /** A job of the service in the URL; otherwise the operation's documented error. */
  async function findJob(request: FastifyRequest, operation: 'find' | 'cancel' | 'delete'): Promise<JobRecord> {
    const { key } = await gpService(request);
    const id = (request.params as AdminParams).jobId!;
    const job = await jobs.get(id);
    if (job && job.service.toLowerCase() === key.toLowerCase()) return job;
    if (operation === 'cancel') throw new ApiError(500, `Unable to cancel job :[${id}]`);
    if (operation === 'delete') throw new ApiError(400, `Unable to delete job :[${id}]`);
    throw new ApiError(404, `Job not found :[${id}]`);
  }
}

/** `<name>.<Type>` in a folder, looked up in the services catalog. */
async function findService(context: AppContext, folder: string, nameWithType: string): Promise<ServiceRecord> {
  const dot = nameWithType.lastIndexOf('.');
  const type = SERVICE_TYPES.find((t) => t.toLowerCase() === nameWithType.slice(dot + 1).toLowerCase());
  const record = dot > 0 && type ? await context.stores.services.get(folder, nameWithType.slice(0, dot), type) : undefined;
  if (!record) throw new ApiError(404, 'Service not found', [`Service '${folder ? `${folder}/` : ''}${nameWithType}' does not exist.`]);
  return record;
}
