import { performance } from 'node:perf_hooks';
import { inFlight } from '../../in-flight.js';
import { flushGdalCache } from '../../raster/gdal-cache.js';
import { datasetPool } from './dataset-pool.js';

const LOOK_EVERY_MS = 5_000;
/** Quiet this long: the renders' caches are let go (the malloc_trim of native-memory.ts then hands the pages back). */
const QUIET_MS = 30_000;
/** Open raster handles a quiet process keeps, the most recently used (~1 MiB each). */
const IDLE_HANDLES = 8;

/**
 * After QUIET_MS without a request, empties GDAL's block cache and closes all but a few idle
 * raster handles, once until requests come again: a server between bursts holds ~40 MiB less
 * (issue 18), and the first render after it decodes its blocks afresh.
 */
export function releaseWhenIdle(): () => void {
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
    if (released || performance.now() - quietSince < QUIET_MS) return;
    released = true;
    datasetPool.keepAtMost(IDLE_HANDLES);
    flushGdalCache();
  }, LOOK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
