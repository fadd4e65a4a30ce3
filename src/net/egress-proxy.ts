import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../thread-pool.js';
import type { AddressPolicy } from './public-address.js';

let proxy: Promise<{ worker: Worker; url: string }> | undefined;

/**
 * This process's egress proxy (egress-proxy-thread.ts), started once; later calls change its policy.
 * Resolves with its URL (`http://127.0.0.1:<port>`), for tools that do their own HTTP (GDAL).
 */
export async function startEgressProxy(policy: AddressPolicy): Promise<string> {
  const data = { allowAll: policy.allowAll, allowed: [...policy.allowed] };
  if (proxy) {
    const running = await proxy;
    running.worker.postMessage(data);
    return running.url;
  }
  proxy = new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./egress-proxy-thread.ts', import.meta.url), data);
    worker.unref();
    worker.once('message', (message: { port: number }) => resolve({ worker, url: `http://127.0.0.1:${message.port}` }));
    worker.once('error', reject);
  });
  return (await proxy).url;
}
