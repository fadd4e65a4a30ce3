import { HOSTED_FOLDER, parseImageServiceUrl } from '../../imagery/image-service-definition.js';

/** What an image-service reference in a task parameter points at. */
export type ServiceUrlTarget =
  /** A service of this server: look it up in the stores. */
  | { kind: 'local'; folder: string; name: string }
  /** An image service on another server: read it over HTTP, never change it. */
  | { kind: 'remote-service'; url: string }
  /** Any other URL (a raster file on a web server). */
  | { kind: 'remote-file'; url: string }
  /** Not a URL nor a service path. */
  | { kind: 'none' };

/**
 * Classifies a URL, path or bare name given for an image service. A URL names one of our services
 * only when its origin and base path are this server's — the public URL (`TESSERA_PUBLIC_URL`) or
 * the base URL the submitter used — so `http://example.com/arcgis/rest/services/Hosted/x/ImageServer`
 * is never mistaken for the local `Hosted/x`. Paths without an origin (`/arcgis/rest/services/…`,
 * `Hosted/x`, `x`) are local by definition.
 *
 * @example classifyServiceUrl('https://other/arcgis/rest/services/Hosted/a/ImageServer', ['http://me/arcgis']) // remote-service
 */
export function classifyServiceUrl(text: string, serverUrls: readonly string[]): ServiceUrlTarget {
  const value = text.trim();
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { kind: 'none' };
    }
    const service = parseImageServiceUrl(url.pathname);
    const local = serverUrls.some((base) => isUnder(url, base));
    if (local && service) return { kind: 'local', ...service };
    return service ? { kind: 'remote-service', url: serviceRoot(url) } : { kind: 'remote-file', url: url.href };
  }
  const service = parseImageServiceUrl(value);
  if (service) return { kind: 'local', ...service };
  const bare = /^\/*(?:(Hosted)\/)?([\w-]+)$/i.exec(value);
  if (bare) return { kind: 'local', folder: HOSTED_FOLDER, name: bare[2]! };
  return { kind: 'none' };
}

/** The bases a URL must start with to be this server's: the public URL and the submitter's. */
export function serverUrlsOf(context: { baseUrl: string; config: { publicUrl: string } }): string[] {
  return [context.baseUrl, context.config.publicUrl].filter((value) => value.trim() !== '');
}

function isUnder(url: URL, base: string): boolean {
  let root: URL;
  try {
    root = new URL(base);
  } catch {
    return false;
  }
  if (url.origin.toLowerCase() !== root.origin.toLowerCase()) return false;
  const prefix = root.pathname.replace(/\/+$/, '').toLowerCase();
  return url.pathname.toLowerCase().startsWith(`${prefix}/rest/services/`);
}

/** `…/ImageServer` without a trailing operation, query or fragment. */
function serviceRoot(url: URL): string {
  const match = /^(.*?\/ImageServer)\b/i.exec(url.pathname);
  return `${url.origin}${match ? match[1] : url.pathname}`;
}
