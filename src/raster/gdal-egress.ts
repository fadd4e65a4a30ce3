import gdal from 'gdal-async';
import { startEgressProxy } from '../net/egress-proxy.js';
import type { AddressPolicy } from '../net/public-address.js';

/**
 * Sends GDAL's own HTTP (`/vsicurl/` inputs, rasters registered by reference, remote image
 * services) through this process's egress proxy, which connects only to addresses the policy
 * allows, checked at connect time, redirect after redirect: GDAL resolves names itself, so a
 * check of the URL beforehand cannot stop a redirect or a DNS answer pointing at 127.0.0.1.
 * Set in the environment too, for the gdal tools and job workers this process starts. The S3
 * endpoint of the raster store (`AWS_S3_ENDPOINT`, the administrator's) stays reachable.
 * With every address allowed (`allowPrivateUrls`) GDAL connects directly.
 */
export async function guardGdalEgress(policy: AddressPolicy): Promise<void> {
  if (policy.allowAll) {
    gdal.config.set('GDAL_HTTP_PROXY', null);
    delete process.env.GDAL_HTTP_PROXY;
    return;
  }
  const allowed = new Set(policy.allowed);
  const endpoint = process.env.AWS_S3_ENDPOINT?.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (endpoint) allowed.add(endpoint.toLowerCase());
  const url = await startEgressProxy({ allowAll: false, allowed });
  gdal.config.set('GDAL_HTTP_PROXY', url);
  process.env.GDAL_HTTP_PROXY = url;
}
