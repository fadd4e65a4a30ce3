import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/** `https://host/arcgis` as the client sees it: configured, or derived from the request. */
export function publicBaseUrl(config: Config, request: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = request.headers['x-forwarded-host'] ?? request.headers.host ?? `${config.host}:${config.port}`;
  return `${request.protocol}://${String(host).split(',')[0]!.trim()}${config.basePath}`;
}
