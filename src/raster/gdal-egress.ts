import gdal from 'gdal-async';
import { startEgressProxy } from '../net/egress-proxy.js';
import type { AddressPolicy } from '../net/public-address.js';

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
