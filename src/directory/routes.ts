import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canSeeService } from '../catalog/service-access.js';
import type { AppContext } from '../context.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { sendResource } from '../http/respond.js';
import { staticRoutes } from './static-routes.js';
import { CURRENT_VERSION, FULL_VERSION } from './version.js';

/** `rest/info` and the `rest/services` catalog, as JSON and as Services Directory pages. */
export async function directoryRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const { services } = context.stores;
  await staticRoutes(app);

  app.route({
    method: ['GET', 'POST'],
    url: '/rest/info',
    handler: async (request, reply) => {
      const base = publicBaseUrl(context.config, request);
      const body = {
        currentVersion: CURRENT_VERSION,
        fullVersion: FULL_VERSION,
        owningSystemUrl: base,
        authInfo: {
          isTokenBasedSecurity: true,
          tokenServicesUrl: `${base}/sharing/rest/generateToken`,
          shortLivedTokenValidity: context.config.tokens.defaultMinutes,
        },
      };
      return sendResource(request, reply, body, { title: 'Server Info', breadcrumbs: crumbs(base) });
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/rest/info/healthCheck',
    handler: async (request, reply) => sendResource(request, reply, { success: true }, { title: 'Health Check' }),
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/rest/services',
    handler: async (request, reply) => {
      const visible = (await services.list('')).filter((s) => canSeeService(s, request.arcgis.principal));
      const body = {
        currentVersion: CURRENT_VERSION,
        folders: await services.folders(),
        services: visible.map((s) => ({ name: s.name, type: s.type })),
      };
      return sendCatalog(request, reply, body, '');
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/rest/services/:folder',
    handler: async (request, reply) => {
      const requested = (request.params as { folder: string }).folder;
      const folder = (await services.folders()).find((f) => f.toLowerCase() === requested.toLowerCase());
      if (!folder) throw new ApiError(404, 'Folder not found', [`Folder '${requested}' does not exist.`]);
      const visible = (await services.list(folder)).filter((s) => canSeeService(s, request.arcgis.principal));
      const body = {
        currentVersion: CURRENT_VERSION,
        folders: [],
        services: visible.map((s) => ({ name: `${folder}/${s.name}`, type: s.type })),
      };
      return sendCatalog(request, reply, body, folder);
    },
  });

  function sendCatalog(
    request: FastifyRequest,
    reply: Parameters<typeof sendResource>[1],
    body: { folders: string[]; services: Array<{ name: string; type: string }> },
    folder: string,
  ) {
    const base = publicBaseUrl(context.config, request);
    const root = `${base}/rest/services`;
    return sendResource(request, reply, body, {
      title: folder ? `Folder: ${folder}` : 'Folder: /',
      breadcrumbs: folder ? [...crumbs(base), { label: folder }] : crumbs(base),
      links: [
        ...body.folders.map((f) => ({ label: f, href: `${root}/${encodeURIComponent(f)}`, note: 'folder' })),
        ...body.services.map((s) => ({ label: s.name, href: `${root}/${s.name}/${s.type}`, note: s.type })),
      ],
    });
  }
}

function crumbs(base: string) {
  return [
    { label: 'Home', href: `${base}/rest/services` },
    { label: 'services', href: `${base}/rest/services` },
  ];
}
