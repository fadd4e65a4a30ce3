import type { Config } from '../config.js';

/** Operations whose bodies carry features or item contents: they get the larger edit limit. */
const LARGE_BODY_OPERATIONS = new Set([
  'applyedits',
  'addfeatures',
  'updatefeatures',
  'deletefeatures',
  'calculate',
  'append',
  'additem',
  'update',
  'addtodefinition',
  'updatedefinition',
  'createservice',
]);

const MB = 1024 * 1024;

/**
 * The body limit of a route, from the last segment of its URL: most operations need a few MB,
 * edits and item updates their own setting. Fastify refuses a larger body before reading it
 * (from Content-Length) or as soon as the limit is passed, so nothing large is held in memory.
 */
export function bodyLimitFor(url: string, limits: Config['limits']): number {
  const operation = url.split('/').pop()?.toLowerCase() ?? '';
  return (LARGE_BODY_OPERATIONS.has(operation) ? limits.editBodyMB : limits.bodyMB) * MB;
}

/** `trustProxy` for Fastify: the configured proxy addresses, or false (believe no forwarded header). */
export function trustedProxies(setting: string): string[] | false {
  const addresses = setting
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  return addresses.length ? addresses : false;
}
