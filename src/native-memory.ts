import { createRequire } from 'node:module';

/** glibc's mallopt parameter (malloc.h). */
const M_ARENA_MAX = -8;
const M_MMAP_THRESHOLD = -3;
/**
 * Allocations from this size up get their own mapping, returned to the system when freed: the
 * planes, decoded blocks and warp buffers of a render. glibc's threshold otherwise climbs to the
 * largest block freed (up to 32 MiB), and those buffers stay in the arenas until the next trim.
 */
const MMAP_FROM_BYTES = 128 * 1024;
const TRIM_EVERY_MS = 1_000;

/**
 * Keeps the native heap of GDAL, SQLite and libvips near what they use. glibc gives each thread
 * that allocates its own arena (up to 8 per core) and keeps what was freed in it: blocks, warp
 * buffers and encoded images of the thread pool left ~190 MiB of free memory resident in four
 * arenas while rendering (issue 18). Two arenas, and `malloc_trim` once a second (off the event
 * loop) to hand free pages back, hold RSS to the memory in use. Nothing happens where glibc is
 * not the allocator (musl, macOS) or the FFI module cannot load.
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
  libc.mallopt(M_MMAP_THRESHOLD, MMAP_FROM_BYTES);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    libc.malloc_trim.async(0, () => {
      running = false;
    });
  }, TRIM_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
