import type { FastifyInstance } from 'fastify';
import { ThreadPool } from '../thread-pool.js';
import { parseFormBytes } from './form-decode.js';

/** Form bodies from this size on are decoded on a worker thread. */
const OFF_THREAD_BYTES = 256 * 1024;

let pool: ThreadPool | undefined;

function formPool(): ThreadPool {
  pool ??= new ThreadPool(new URL('./form-body-worker.ts', import.meta.url), 2);
  return pool;
}

/** Starts a form-decoding thread now (at server start), not with the first large form. */
export function warmFormBodyThreads(): void {
  formPool().warm();
}

/**
 * The `application/x-www-form-urlencoded` parser. A large form (a 200,000-vertex polygon is
 * some 5 MB, percent-encoded) took over a second of the event loop to decode and collect as
 * garbage; from OFF_THREAD_BYTES on, the bytes go to a worker thread and come back as strings.
 */
export function registerFormBody(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, async (_request: unknown, body: Buffer) => {
    if (body.length < OFF_THREAD_BYTES) return parseFormBytes(body);
    // The body's own ArrayBuffer moves to the thread when it holds nothing else; else a copy does.
    const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Buffer.from(body);
    return formPool().run({ bytes: whole }, { transfer: [whole.buffer as ArrayBuffer] });
  });
}
