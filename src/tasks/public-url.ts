import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { TaskError } from '../jobs/task.js';

/** Loopback, private, link-local, carrier-grade NAT, benchmark, multicast and reserved ranges. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Refuses a URL input whose host is or resolves to a non-public address, unless the administrator
 * allowed them (`allowPrivateUrls`): otherwise a publisher could make the server probe its own
 * network (the answers differ between closed and open ports). Every failure says the same.
 */
export async function assertPublicUrl(url: URL, label: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    throw unreadableUrl(label);
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) {
    throw new TaskError(`Input URL '${label}' points to a loopback or private address; an administrator can allow those with the allowPrivateUrls setting.`);
  }
}

/** The one message for any URL that cannot be read, so reachability is not revealed. */
export function unreadableUrl(label: string): TaskError {
  return new TaskError(`Input URL '${label}' could not be read.`);
}
