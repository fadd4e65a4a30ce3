import { BlockList, isIP } from 'node:net';

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
 * Which addresses outbound requests to client-given URLs may connect to: public ones, plus what the
 * administrator allowed (`allowPrivateUrls`: all, or a list of addresses and host names).
 */
export interface AddressPolicy {
  allowAll: boolean;
  /** Addresses or host names (lower case), alone or as `name:port`, allowed although not public. */
  allowed: ReadonlySet<string>;
}

/** The policy of the settings `allowPrivateUrls` and `privateUrlHosts` (comma-separated). */
export function addressPolicy(allowPrivate: boolean, privateHosts = ''): AddressPolicy {
  const allowed = privateHosts.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  return { allowAll: allowPrivate, allowed: new Set(allowed) };
}

/** True when `address` (what `host` resolved to) may be connected to on `port`. */
export function mayConnect(policy: AddressPolicy, address: string, host?: string, port?: number): boolean {
  if (policy.allowAll || isPublicAddress(address)) return true;
  const names = host === undefined ? [address] : [address, host];
  return names.some((name) => policy.allowed.has(name.toLowerCase()) || (port !== undefined && policy.allowed.has(`${name.toLowerCase()}:${port}`)));
}
