import type { Config } from '../config.js';
import { TaskError } from '../jobs/task.js';
import { checkedGet, type CheckedResponse, type Resolver, UrlRefusedError, pinnedLookup, portOf, checkLiteralHost } from '../net/checked-fetch.js';
import { addressPolicy, type AddressPolicy } from '../net/public-address.js';

export { isPublicAddress } from '../net/public-address.js';

/** The address policy of the settings (allowPrivateUrls, privateUrlHosts). */
export function urlPolicy(config: Pick<Config, 'allowPrivateUrls' | 'privateUrlHosts'>): AddressPolicy {
  return addressPolicy(config.allowPrivateUrls, config.privateUrlHosts ?? '');
}

/**
 * Refuses a URL input whose host is or resolves to a non-public address, unless the administrator
 * allowed them: otherwise a publisher could make the server probe its own network (the answers
 * differ between closed and open ports). Every failure says the same. An early check for a clear
 * message only: the reads themselves check again at connect time (checkedGet, GDAL's egress
 * proxy), where a rebinding DNS answer or a redirect cannot slip past.
 */
export async function assertPublicUrl(url: URL, label: string, policy: AddressPolicy, resolver?: Resolver): Promise<void> {
  if (policy.allowAll) return;
  try {
    checkLiteralHost(url, policy);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    await new Promise<void>((resolve, reject) => pinnedLookup(policy, resolver, portOf(url))(host, {}, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    if (error instanceof UrlRefusedError) throw privateUrl(label);
    throw unreadableUrl(label);
  }
}

/** GET of a URL input by checkedGet, with its failures as the task messages. */
export async function fetchInputUrl(url: URL, label: string, policy: AddressPolicy, options: { signal?: AbortSignal; resolver?: Resolver } = {}): Promise<CheckedResponse> {
  try {
    return await checkedGet(url, { policy, ...options });
  } catch (error) {
    if (error instanceof UrlRefusedError) throw privateUrl(label);
    throw unreadableUrl(label);
  }
}

function privateUrl(label: string): TaskError {
  return new TaskError(`Input URL '${label}' points to a loopback or private address; an administrator can allow those with the allowPrivateUrls setting.`);
}

/** The one message for any URL that cannot be read, so reachability is not revealed. */
export function unreadableUrl(label: string): TaskError {
  return new TaskError(`Input URL '${label}' could not be read.`);
}
