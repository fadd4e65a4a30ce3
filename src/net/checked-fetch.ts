import { lookup as dnsLookup } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { mayConnect, type AddressPolicy } from './public-address.js';

/** A URL (or a redirect it led to) whose host is, or resolves to, an address the policy refuses. */
export class UrlRefusedError extends Error {
  constructor(message = 'The URL points to a loopback or private address') {
    super(message);
    this.name = 'UrlRefusedError';
  }
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * A `lookup` for sockets that resolves once, refuses the answer unless every address may be
 * connected to, and hands the socket exactly the addresses it checked: a name that resolves to a
 * public address for a check and to 127.0.0.1 for the connection (DNS rebinding) cannot slip by.
 */
export function pinnedLookup(policy: AddressPolicy, resolver: Resolver = systemResolver, port?: number): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || !addresses.every((a) => mayConnect(policy, a.address, hostname, port))) {
          return callback(new UrlRefusedError(), '', 0);
        }
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** Refuses a URL whose host is an IP literal the policy refuses (sockets skip `lookup` for those). */
export function checkLiteralHost(url: URL, policy: AddressPolicy): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !mayConnect(policy, host, undefined, portOf(url))) throw new UrlRefusedError();
}

export function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

export interface CheckedGetOptions {
  policy: AddressPolicy;
  signal?: AbortSignal;
  /** Redirects followed, each checked like the first URL (default 5). */
  maxRedirects?: number;
  /** Bodies past this many bytes are an error (default 64 MB). */
  maxBytes?: number;
  headers?: Record<string, string>;
  resolver?: Resolver;
}

export interface CheckedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: URL;
}

/**
 * GET of a client-given URL: http or https only, every hop's address checked at connect time
 * (pinnedLookup), redirects followed by hand so each is checked the same way. Throws
 * UrlRefusedError for a refused address, other errors for what could not be read.
 */
export async function checkedGet(url: URL, options: CheckedGetOptions): Promise<CheckedResponse> {
  let current = url;
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new UrlRefusedError('Only http and https URLs can be read');
    checkLiteralHost(current, options.policy);
    const response = await send(current, pinnedLookup(options.policy, options.resolver, portOf(current)), options);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (hop >= (options.maxRedirects ?? 5)) throw new Error('Too many redirects');
      current = new URL(location, current);
      continue;
    }
    const body = await readBody(response, options.maxBytes ?? 64 * 1024 * 1024);
    return { status: response.statusCode ?? 0, headers: response.headers, body, url: current };
  }
}

function send(url: URL, lookup: LookupFunction, options: CheckedGetOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(url, { lookup, headers: options.headers ?? {}, ...(options.signal ? { signal: options.signal } : {}), agent: false }, resolve);
    request.on('error', reject);
    request.setTimeout(30_000, () => request.destroy(new Error('Timed out')));
  });
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw new Error('The answer is too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
