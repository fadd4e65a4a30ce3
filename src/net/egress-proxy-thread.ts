/**
 * Worker-thread entry of the egress proxy (egress-proxy.ts): an HTTP forward proxy that connects
 * only where the address policy allows, with the address it checked. A thread of its own, so it
 * answers even while the main thread sits in a synchronous GDAL read that waits for it.
 */
import http from 'node:http';
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { tsWorkerData } from '../thread-pool.js';
import { pinnedLookup } from './checked-fetch.js';
import { mayConnect, type AddressPolicy } from './public-address.js';

interface ProxyData {
  allowAll: boolean;
  allowed: string[];
}

let policy: AddressPolicy = toPolicy(tsWorkerData<ProxyData>(workerData));
parentPort!.on('message', (data: ProxyData) => (policy = toPolicy(data)));

function toPolicy(data: ProxyData): AddressPolicy {
  return { allowAll: data.allowAll, allowed: new Set(data.allowed) };
}

/** A socket to host:port if the policy allows where the name resolves; the refusal or failure otherwise. */
function connect(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const bare = host.replace(/^\[|\]$/g, '');
    if (net.isIP(bare) && !mayConnect(policy, bare, undefined, port)) return reject(Object.assign(new Error('refused'), { refused: true }));
    const socket = net.connect({ host: bare, port, lookup: pinnedLookup(policy, undefined, port) });
    socket.once('connect', () => resolve(socket));
    socket.once('error', (error: Error) => reject(Object.assign(error, { refused: error.name === 'UrlRefusedError' })));
  });
}

const server = http.createServer((request, response) => {
  // Plain http through a proxy: the request line holds the absolute URL.
  let target: URL;
  try {
    target = new URL(request.url ?? '');
    if (target.protocol !== 'http:') throw new Error('not http');
  } catch {
    response.writeHead(400).end();
    return;
  }
  connect(target.hostname, Number(target.port || 80)).then(
    (socket) => {
      const headers = { ...request.headers };
      delete headers['proxy-connection'];
      delete headers['proxy-authorization'];
      const upstream = http.request(
        { createConnection: () => socket, method: request.method, path: `${target.pathname}${target.search}`, headers, host: target.hostname },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    },
    (error: { refused?: boolean }) => response.writeHead(error.refused ? 403 : 502).end(),
  );
});

// https (and anything else) through a proxy: a CONNECT tunnel; TLS stays between GDAL and the host.
server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(request.url ?? '');
  if (!match) return void client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  client.on('error', () => undefined);
  connect(match[1]!, Number(match[2])).then(
    (socket) => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) socket.write(head);
      socket.on('error', () => client.destroy());
      socket.pipe(client).pipe(socket);
    },
    (error: { refused?: boolean }) => client.end(`HTTP/1.1 ${error.refused ? '403 Forbidden' : '502 Bad Gateway'}\r\n\r\n`),
  );
});

server.listen(0, '127.0.0.1', () => parentPort!.postMessage({ port: (server.address() as net.AddressInfo).port }));
