import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { requireUser } from '../http/guards.js';
import { sendResource } from '../http/respond.js';
import type { UserRecord } from '../store/user-store.js';
import { portalRootPage } from './portal-pages.js';
import { ORG_ID, PORTAL_VERSION, toPortalSelfJson, toUserJson } from './portal-json.js';

const READ = ['GET', 'POST'] as ('GET' | 'POST')[];

/** Portal service types (`serviceType` of isServiceNameAvailable, spaces removed) to catalog types. */
const SERVICE_TYPE_BY_PORTAL_TYPE: Record<string, 'FeatureServer' | 'ImageServer'> = {
  featureservice: 'FeatureServer',
  imageservice: 'ImageServer',
};

/** `/sharing/rest` itself, `info`, `portals/self`, `community/self` and `community/users/<name>`. */
export async function selfRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const portalUrl = (request: FastifyRequest) => `${publicBaseUrl(context.config, request)}/sharing/rest`;

  app.route({
    method: READ,
    url: '/sharing/rest',
    handler: async (request, reply) => sendResource(request, reply, { currentVersion: PORTAL_VERSION }, portalRootPage(portalUrl(request))),
  });

  // arcgis-rest-js asks here for a federated server's token service.
  app.route({
    method: READ,
    url: '/sharing/rest/info',
    handler: async (request, reply) => {
      const base = publicBaseUrl(context.config, request);
      const body = {
        owningSystemUrl: base,
        authInfo: { tokenServicesUrl: `${base}/sharing/rest/generateToken`, isTokenBasedSecurity: true },
      };
      return sendResource(request, reply, body, { title: 'Portal Info' });
    },
  });

  app.route({
    method: READ,
    url: '/sharing/rest/portals/:portalId',
    handler: async (request, reply) => {
      const { portalId } = request.params as { portalId: string };
      if (portalId.toLowerCase() !== 'self' && portalId !== ORG_ID) {
        throw ApiError.notFound('Portal not found', [`Portal '${portalId}' does not exist.`]);
      }
      const principal = request.arcgis.principal;
      const user = principal ? await context.stores.users.get(principal.username) : undefined;
      const body = toPortalSelfJson({
        base: publicBaseUrl(context.config, request),
        maxTokenMinutes: context.config.tokens.maxMinutes,
        user: user ? toUserJson(user, principal) : undefined,
      });
      return sendResource(request, reply, body, { title: 'Portal: self' });
    },
  });

  // The ArcGIS API for Python asks before it creates an analysis output service.
  app.route({
    method: READ,
    url: '/sharing/rest/portals/:portalId/isServiceNameAvailable',
    handler: async (request, reply) => {
      requireUser(request);
      const params = request.arcgis.params;
      const name = params.required('name');
      const type = (params.string('serviceType') ?? params.string('type') ?? 'Feature Service').toLowerCase().replace(/\s+/g, '');
      const serviceType = SERVICE_TYPE_BY_PORTAL_TYPE[type];
      if (!serviceType) throw ApiError.invalidParameter(`'serviceType' '${params.string('serviceType') ?? ''}' is not supported: use Feature Service or Image Service`);
      const taken = await context.stores.services.get('Hosted', name, serviceType);
      return sendResource(request, reply, { available: !taken }, { title: 'isServiceNameAvailable' });
    },
  });

  app.route({
    method: READ,
    url: '/sharing/rest/community/self',
    handler: async (request, reply) => {
      const principal = requireUser(request);
      const user = await findUser(principal.username);
      return sendResource(request, reply, toUserJson(user, principal), userPage(portalUrl(request), user));
    },
  });

  app.route({
    method: READ,
    url: '/sharing/rest/community/users/:username',
    handler: async (request, reply) => {
      const principal = requireUser(request);
      const user = await findUser((request.params as { username: string }).username);
      return sendResource(request, reply, toUserJson(user, principal), userPage(portalUrl(request), user));
    },
  });

  async function findUser(username: string): Promise<UserRecord> {
    const user = await context.stores.users.get(username);
    if (!user) throw ApiError.notFound('User not found', [`User '${username}' does not exist.`]);
    return user;
  }
}

function userPage(portal: string, user: UserRecord) {
  return {
    title: `User: ${user.username}`,
    breadcrumbs: [{ label: 'Home', href: `${portal}?f=html` }, { label: user.username }],
    links: [{ label: 'Content', href: `${portal}/content/users/${encodeURIComponent(user.username)}?f=html` }],
  };
}
