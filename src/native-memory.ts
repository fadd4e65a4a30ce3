import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { inFlight } from './in-flight.js';

/** glibc's mallopt parameter (malloc.h). */
const M_ARENA_MAX = -8;
const TRIM_EVERY_MS = 1_000;
/** Under unbroken load, still a trim this often (a burst's free memory is not kept for long). */
const TRIM_BUSY_EVERY_MS = 10_000;

/**
 * Keeps the native heap of GDAL, SQLite and libvips near what they use. glibc gives each thread
 * that allocates its own arena (up to 8 per core) and keeps what was freed in it: blocks, warp
 * buffers and encoded images of the thread pool left ~190 MiB of free memory resident in four
 * arenas while rendering (issue 18). Two arenas, and `malloc_trim` (off the event loop) after
 * each quiet second to hand free pages back, hold RSS to the memory in use. Under unbroken load
 * it trims only every TRIM_BUSY_EVERY_MS: the next requests would fault the pages in and clear
 * them again, which cost a 1,000-feature page about a fifth more CPU (issue 18). Nothing
 * happens where glibc is not the allocator (musl, macOS) or the FFI module cannot load.
 */
export function boundNativeMemory(): () => void {
  let libc: { mallopt(param: number, value: number): number; malloc_trim: { async(pad: number, done: (err: unknown) => void): void } };
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load('libc.so.6');
    libc = { mallopt: lib.func('int mallopt(int, int)') as never, malloc_trim: lib.func('int malloc_trim(size_t)') as never };
  } catch {
    return () => undefined;
  }
  libc.mallopt(M_ARENA_MAX, 2);
  let running = false;
  let lastStarted = inFlight.started;
  let lastTrim = performance.now();
  const timer = setInterval(() => {
    const quiet = inFlight.requests === 0 && inFlight.started === lastStarted;
    lastStarted = inFlight.started;
    if (running || (!quiet && performance.now() - lastTrim < TRIM_BUSY_EVERY_MS)) return;
    running = true;
    lastTrim = performance.now();
    libc.malloc_trim.async(0, () => {
      running = false;
    });
  }, TRIM_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
