import gdal from 'gdal-async';
import { startEgressProxy } from '../net/egress-proxy.js';
import type { AddressPolicy } from '../net/public-address.js';
import { isSelfUrl, SELF_REQUEST_HEADER, selfRequestSecret } from '../net/self-requests.js';

/** How a job worker is handed this process's proxy: a variable of its own, read and removed at start. */
const HANDOFF_VARIABLE = 'TESSERA_GDAL_EGRESS_PROXY';

/** The proxy GDAL's HTTP goes through in this process; null: GDAL connects directly. */
let proxyUrl: string | null = null;

/**
 * Sends GDAL's own HTTP (`/vsicurl/` inputs, rasters registered by reference, remote image
 * services) through this process's egress proxy, which connects only to addresses the policy
 * allows, checked at connect time, redirect after redirect: GDAL resolves names itself, so a
 * check of the URL beforehand cannot stop a redirect or a DNS answer pointing at 127.0.0.1.
 * A GDAL configuration option of this process, not an environment variable: children get it
 * only where they read through GDAL (job workers, the gdal tools), never the
 * engines or clients started otherwise. The S3 endpoint of the raster store (`AWS_S3_ENDPOINT`,
 * the administrator's) stays reachable. With every address allowed (`allowPrivateUrls`) GDAL
 * connects directly.
 */
export async function guardGdalEgress(policy: AddressPolicy): Promise<void> {
  if (policy.allowAll) return useProxy(null);
  const allowed = new Set(policy.allowed);
  const endpoint = process.env.AWS_S3_ENDPOINT?.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (endpoint) allowed.add(endpoint.toLowerCase());
  useProxy(await startEgressProxy({ allowAll: false, allowed }));
}

/** Environment to add for a job worker: it adopts this process's proxy (adoptGdalEgress). */
export function jobWorkerEgressEnv(): Record<string, string> {
  return proxyUrl ? { [HANDOFF_VARIABLE]: proxyUrl } : {};
}

/** In a job worker: the proxy its parent handed over, for GDAL in this process (and its gdal tools). */
export function adoptGdalEgress(): void {
  const url = process.env[HANDOFF_VARIABLE];
  delete process.env[HANDOFF_VARIABLE];
  if (url) useProxy(url);
}

/** Environment to add for a GDAL command-line tool, which reads `GDAL_HTTP_PROXY`. */
export function gdalToolEgressEnv(): Record<string, string> {
  return proxyUrl ? { GDAL_HTTP_PROXY: proxyUrl } : {};
}

function useProxy(url: string | null): void {
  proxyUrl = url;
  gdal.config.set('GDAL_HTTP_PROXY', url);
}

/** The in-memory file holding the self-read header (written on first use; only this process reads /vsimem/). */
let selfHeaderFile: string | null = null;

/**
 * The path GDAL opens for a raster path. A `/vsicurl/` URL of this server's own gets the
 * self-read header (self-requests.ts) through `header_file`, so the inner request renders without
 * waiting for a render slot; the secret stays out of the path, which GDAL quotes in its errors.
 * Other hosts never see the header.
 */
export function gdalOpenPath(path: string): string {
  if (!readsThisServer(path)) return path;
  const url = path.slice('/vsicurl/'.length);
  if (!selfHeaderFile) {
    selfHeaderFile = `/vsimem/tessera-self-read-${process.pid}.txt`;
    gdal.vsimem.copy(Buffer.from(`${SELF_REQUEST_HEADER}: ${selfRequestSecret()}\r\n`), selfHeaderFile);
  }
  // empty_dir=yes with header_file last (the "folder" GDAL lists is the path up to its last
  // slash): no sibling files, so opening is one HEAD and one GET, and the mask flags, read
  // synchronously on the event loop, ask nothing of this server (a `.msk` probe there would wait
  // for the event loop it blocks).
  return `/vsicurl?empty_dir=yes&url=${encodeURIComponent(url)}&header_file=${selfHeaderFile}`;
}

/**
 * True when GDAL reads the path from this server over HTTP: each such read holds a thread of
 * libuv's pool until the inner request, which needs pool threads of its own, has answered.
 */
export function readsThisServer(path: string): boolean {
  return path.startsWith('/vsicurl/') && isSelfUrl(path.slice('/vsicurl/'.length));
}
