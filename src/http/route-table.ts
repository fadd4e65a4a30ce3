import type { FastifyInstance, RouteOptions } from 'fastify';

/** One registered route: its methods and URL pattern (with the base path). */
export interface RouteEntry {
  methods: string[];
  url: string;
}

const tables = new WeakMap<object, RouteEntry[]>();

/** Records every route registered on `app` from now on (HEAD twins excluded). */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (methods.length) table.push({ methods, url: route.url });
  });
}

/** The routes of an app built by buildApp: what the authorization matrix test enumerates. */
export function routeTable(app: FastifyInstance): RouteEntry[] {
  return [...(tables.get(app) ?? [])];
}
