import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { sendResource } from '../http/respond.js';

/**
 * `generateToken` on the portal, the stand-alone server and the admin API: one contract
 * (username, password, client, referer, ip, expiration in minutes) → `{token, expires, ssl}`.
 */
export async function authRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const generate = (adminOnly: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.arcgis.params;
    if (request.method !== 'POST' && !context.config.tokens.allowGet) {
      if (!params.has('username')) return sendResource(request, reply, {}, tokenPage(request.url));
      throw new ApiError(400, 'Unable to generate token.', ['Token requests must use POST so credentials stay out of URLs.']);
    }
    const principal = request.arcgis.principal;
    if (!params.has('username') && principal && params.has('serverUrl')) {
      // Federation: arcgis-rest-js and the JS SDK trade a portal token for one valid on a server
      // (`token` + `serverUrl`); portal and server are one here, so the same user gets a token.
      const exchanged = await context.auth.issueToken(principal.username, {
        client: params.string('client'),
        referer: params.string('referer') ?? request.headers.referer,
        ip: params.string('ip'),
        expiration: params.int('expiration'),
        requestIp: request.ip,
      });
      return sendResource(request, reply, exchanged);
    }
    const token = await context.auth.generateToken({
      username: params.string('username'),
      password: params.string('password'),
      client: params.string('client'),
      referer: params.string('referer') ?? request.headers.referer,
      ip: params.string('ip'),
      expiration: params.int('expiration'),
      requestIp: request.ip,
    });
    if (adminOnly) {
      const principal = await context.auth.authenticate(token.token, { referer: params.string('referer') ?? request.headers.referer, ip: request.ip }, 'parameter-body');
      if (!principal.isAdmin) throw new ApiError(400, 'Unable to generate token.', ['Invalid username or password.']);
    }
    return sendResource(request, reply, token);
  };

  for (const url of ['/sharing/rest/generateToken', '/sharing/generateToken', '/tokens/generateToken', '/tokens']) {
    app.route({ method: ['GET', 'POST'], url, handler: generate(false) });
  }
  app.route({ method: ['GET', 'POST'], url: '/admin/generateToken', handler: generate(true) });
}

function tokenPage(action: string) {
  return {
    title: 'Generate Token',
    form: {
      action: action.split('?')[0]!,
      method: 'POST' as const,
      fields: [
        { name: 'username', label: 'Username' },
        { name: 'password', label: 'Password', type: 'password' as const },
        { name: 'client', label: 'Client', type: 'select' as const, options: ['requestip', 'referer', 'ip'], value: 'requestip' },
        { name: 'referer', label: 'Referer' },
        { name: 'expiration', label: 'Expiration (minutes)', value: '60' },
        { name: 'f', type: 'select' as const, options: ['pjson', 'json'], value: 'pjson' },
      ],
    },
    json: {},
  };
}
