import { inFlight } from '../../in-flight.js';
import { flushGdalCache } from '../../raster/gdal-cache.js';
import { datasetPool } from './dataset-pool.js';

const LOOK_EVERY_MS = 1_000;

export interface IdleRelease {
  /** Quiet this long: the renders' caches are let go (the malloc_trim of native-memory.ts then hands the pages back); 0: never. */
  quietSeconds: number;
  /** Open raster handles a quiet process keeps, the most recently used (~1 MiB each). */
  keptHandles: number;
  /** Quiet this long: each file keeps one idle handle, its warmest (0: never). */
  surplusQuietSeconds: number;
}

/**
 * Lets go of what renders keep once requests stop, each step once until requests come again:
 * after `surplusQuietSeconds` each file's second handle (it served renders that overlapped on
 * the file, and holds its own decoded tiles), after `quietSeconds` GDAL's block cache and all
 * but a few handles. A server between bursts holds ~30 and ~40 MiB less (issue 18); the first
 * renders after it decode their blocks afresh. Under unbroken load nothing is let go.
 */
export function releaseWhenIdle({ quietSeconds, keptHandles, surplusQuietSeconds }: IdleRelease): () => void {
  const steps = [
    { afterMs: surplusQuietSeconds * 1000, run: () => datasetPool.keepOnePerFile() },
    {
      afterMs: quietSeconds * 1000,
      run: () => {
        datasetPool.keepAtMost(keptHandles);
        flushGdalCache();
      },
    },
  ].filter((step) => step.afterMs > 0);
  if (steps.length === 0) return () => undefined;
  let lastStarted = inFlight.started;
  let quietSince = performance.now(); // the global performance, which tests can fake
  let done = steps.map(() => false); // run since requests last came
  const timer = setInterval(
    () => {
      if (inFlight.requests > 0 || inFlight.started !== lastStarted) {
        lastStarted = inFlight.started;
        quietSince = performance.now();
        done = steps.map(() => false);
        return;
      }
      const quietMs = performance.now() - quietSince;
      steps.forEach((step, i) => {
        if (!done[i] && quietMs >= step.afterMs) {
          done[i] = true;
          step.run();
        }
      });
    },
    Math.min(LOOK_EVERY_MS, ...steps.map((step) => step.afterMs)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
