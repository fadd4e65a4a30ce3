import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';

const require = createRequire(import.meta.url);
const LEAFLET = path.dirname(require.resolve('leaflet/dist/leaflet.js'));
const ESRI_LEAFLET = path.dirname(require.resolve('esri-leaflet/dist/esri-leaflet.js'));
const OWN = path.join(import.meta.dirname, 'assets');

/** What `<base>/static/…` serves, and nothing else: Leaflet and Esri Leaflet from node_modules (no CDN: the machines may have no internet), and our page scripts. */
const FILES: Record<string, string> = {
  'leaflet/leaflet.js': path.join(LEAFLET, 'leaflet.js'),
  'leaflet/leaflet.css': path.join(LEAFLET, 'leaflet.css'),
  ...Object.fromEntries(['layers.png', 'layers-2x.png', 'marker-icon.png', 'marker-icon-2x.png', 'marker-shadow.png'].map((f) => [`leaflet/images/${f}`, path.join(LEAFLET, 'images', f)])),
  'esri-leaflet/esri-leaflet.js': path.join(ESRI_LEAFLET, 'esri-leaflet.js'),
  'map-preview.js': path.join(OWN, 'map-preview.js'),
  'map-preview.css': path.join(OWN, 'map-preview.css'),
};

const TYPES: Record<string, string> = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png' };

/** The map previews' scripts and styles, read once and kept (about 250 KB in all). */
export async function staticRoutes(app: FastifyInstance): Promise<void> {
  const cache = new Map<string, Buffer>();
  app.get('/static/*', async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const file = FILES[name];
    if (!file) throw ApiError.notFound('Not Found', ['Invalid URL']);
    let body = cache.get(name);
    if (!body) cache.set(name, (body = await readFile(file)));
    return reply.type(TYPES[path.extname(name)] ?? 'application/octet-stream').header('cache-control', 'public, max-age=3600').send(body);
  });
}
