import { ThreadPool } from '../thread-pool.js';
import { decodeGeometryText, type EncodedGeometryParam } from './decode-geometry-text.js';
import { GeometryError } from './geometry-error.js';

export type { EncodedGeometryParam };

/** Geometry text from this size on is decoded on a worker thread; below it the round trip costs more than it saves. */
export const OFF_THREAD_GEOMETRY_CHARS = 256 * 1024;

let pool: ThreadPool | undefined;

function decodePool(): ThreadPool {
  pool ??= new ThreadPool(new URL('./decode-worker.ts', import.meta.url), 2);
  return pool;
}

/** Starts a geometry-decoding thread now (at server start), not with the first large geometry. */
export function warmGeometryThreads(): void {
  decodePool().warm();
}

/**
 * decodeGeometryText, on a worker thread when the text is large: a 200,000-vertex polygon takes
 * a few hundred milliseconds to parse, check and encode, which other clients' requests would wait
 * for on the event loop.
 */
export async function decodeGeometryOffThread(text: string, geometryType?: unknown, signal?: AbortSignal): Promise<EncodedGeometryParam | undefined> {
  if (text.length < OFF_THREAD_GEOMETRY_CHARS) return decodeGeometryText(text, geometryType);
  try {
    const encoded = await decodePool().run<EncodedGeometryParam | undefined>({ text, geometryType }, signal ? { signal } : {});
    return encoded;
  } catch (error) {
    if (error instanceof Error && error.name === 'GeometryError') throw new GeometryError(error.message);
    throw error;
  }
}
