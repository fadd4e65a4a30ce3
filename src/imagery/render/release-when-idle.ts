import { performance } from 'node:perf_hooks';
import { inFlight } from '../../in-flight.js';
import { flushGdalCache } from '../../raster/gdal-cache.js';
import { datasetPool } from './dataset-pool.js';

const LOOK_EVERY_MS = 5_000;

export interface IdleRelease {
  /** Quiet this long: the renders' caches are let go (the malloc_trim of native-memory.ts then hands the pages back); 0: never. */
  quietSeconds: number;
  /** Open raster handles a quiet process keeps, the most recently used (~1 MiB each). */
  keptHandles: number;
}

/**
 * After `quietSeconds` without a request, empties GDAL's block cache and closes all but a few
 * idle raster handles, once until requests come again: a server between bursts holds ~40 MiB
 * less (issue 18), and the first render after it decodes its blocks afresh.
 */
export function releaseWhenIdle({ quietSeconds, keptHandles }: IdleRelease): () => void {
  if (quietSeconds <= 0) return () => undefined;
  const quietMs = quietSeconds * 1000;
  let lastStarted = inFlight.started;
  let quietSince = performance.now();
  let released = false;
  const timer = setInterval(() => {
    if (inFlight.requests > 0 || inFlight.started !== lastStarted) {
      lastStarted = inFlight.started;
      quietSince = performance.now();
      released = false;
      return;
    }
    if (released || performance.now() - quietSince < quietMs) return;
    released = true;
    datasetPool.keepAtMost(keptHandles);
    flushGdalCache();
  }, Math.min(LOOK_EVERY_MS, quietMs));
  timer.unref();
  return () => clearInterval(timer);
}
