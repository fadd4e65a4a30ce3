import { randomBytes, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/**
 * Requests this server's own GDAL reads send back to it: an image collection whose items are
 * this server's image services (by reference, `/vsicurl/…/exportImage`) reads them over HTTP from
 * inside a render that holds a render slot. The inner request must not wait for a slot (with every
 * slot held by such renders it never gets one), so GDAL marks it with a header carrying a secret
 * of this process (of every process of `serve --processes N`, handed down by the primary), sent
 * only to this server's own origins; the inner request then renders without a slot. A client
 * cannot guess the secret, so it cannot skip the slots.
 */
export const SELF_REQUEST_HEADER = 'x-tessera-self-read';

/** How `serve --processes N` hands its processes one secret: a variable read and removed at start. */
const HANDOFF_VARIABLE = 'TESSERA_SELF_READ_SECRET';

const handed = process.env[HANDOFF_VARIABLE];
delete process.env[HANDOFF_VARIABLE];
const secret = handed && /^[0-9a-f]{64}$/.test(handed) ? handed : randomBytes(32).toString('hex');
const secretBytes = Buffer.from(secret);

/** The header's value (what GDAL sends). */
export function selfRequestSecret(): string {
  return secret;
}

/** Environment for a process of `serve --processes N`: it adopts this process's secret. */
export function selfRequestEnv(): Record<string, string> {
  return { [HANDOFF_VARIABLE]: secret };
}

/** True when the request came from this server's own GDAL (the header carries the secret). */
export function isSelfRequest(headers: Record<string, string | string[] | undefined>): boolean {
  const value = headers[SELF_REQUEST_HEADER];
  if (typeof value !== 'string' || value.length !== secretBytes.length) return false;
  return timingSafeEqual(Buffer.from(value), secretBytes);
}

/** Signals of the requests in flight that came from this server's own reads. */
const selfSignals = new WeakSet<AbortSignal>();

/** Marks a request (by its abort signal, which travels down to the render) as a self read. */
export function markSelfRequest(signal: AbortSignal): void {
  selfSignals.add(signal);
}

export function isSelfRequestSignal(signal: AbortSignal | undefined): boolean {
  return signal !== undefined && selfSignals.has(signal);
}

/** `host:port` (host lower case, IPv6 in brackets) of every origin this process listens on. */
const origins = new Map<string, number>();

/**
 * Registers where this process answers: the listening address and port (every interface's
 * address when it listens on all of them, loopback names too) and the public URL. Returns the
 * undo, for a server that closes.
 */
export function addSelfOrigins(host: string, port: number, publicUrl?: string): () => void {
  const hosts = new Set([host.toLowerCase()]);
  const anywhere = host === '0.0.0.0' || host === '::';
  if (anywhere || isLoopbackName(host)) for (const name of ['127.0.0.1', 'localhost', '::1']) hosts.add(name);
  if (anywhere) for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) hosts.add(i.address.toLowerCase());
  const keys = [...hosts].map((h) => originKey(h, port));
  if (publicUrl) {
    try {
      const url = new URL(publicUrl);
      keys.push(originKey(url.hostname, Number(url.port || (url.protocol === 'https:' ? 443 : 80))));
    } catch {
      // a public URL that does not parse names no origin
    }
  }
  for (const key of keys) origins.set(key, (origins.get(key) ?? 0) + 1);
  return () => {
    for (const key of keys) {
      const count = (origins.get(key) ?? 1) - 1;
      if (count > 0) origins.set(key, count);
      else origins.delete(key);
    }
  };
}

/** True when an http(s) URL points at this process's own server. */
export function isSelfUrl(url: string): boolean {
  if (origins.size === 0) return false;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    return origins.has(originKey(parsed.hostname, Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))));
  } catch {
    return false;
  }
}

function originKey(host: string, port: number): string {
  const bare = host.toLowerCase().replace(/^\[|\]$/g, '');
  return `${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
