import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import gdal from 'gdal-async';
import { cleanGdalMessage } from './clean-gdal-message.js';
import { RasterError } from './raster-error.js';

/** Stack of koffi's async calls (128 KiB by default): a thread's usual 8 MiB, mapped lazily; GDAL's GTiff writer needs more than the default. */
const STACK = 8 << 20;

/** libgdal's C functions by prototype, `GDALHandle` standing for any GDAL handle. */
export interface GdalCApi {
  /** Called on this thread: for what returns at once (sizes, handles of an open dataset). */
  sync<F>(prototype: string): F;
  /** Run on koffi's threads, as a promise: for what reads, computes or writes. */
  async<F>(prototype: string): F;
  /**
   * Forgets this thread's last GDAL error, and reads it ('' when none): GDAL keeps one per thread,
   * so these see what `sync` calls reported, not what an `async` call did on a pool thread.
   */
  resetError(): void;
  lastError(): string;
  /** False when koffi was loaded before with its small default stack (then GDAL's writers may not run on its threads). */
  fullStack: boolean;
}

let api: GdalCApi | null | undefined;

/**
 * GDAL's C API over FFI (koffi) from the very libgdal gdal-async is linked to (found in this
 * process's mappings): one GDAL in the process, its drivers registered, its block cache shared.
 * For the algorithms gdal-async has no binding for (viewshed, proximity). Null where that library
 * cannot be found (a GDAL bundled inside gdal-async, not Linux) or koffi cannot load it: callers
 * then run GDAL's command.
 */
export function gdalCApi(): GdalCApi | null {
  if (api !== undefined) return api;
  api = null;
  try {
    const library = readFileSync('/proc/self/maps', 'utf8').match(/\s(\/\S*\/libgdal\.so[.\d]*)$/m)?.[1];
    if (!library || gdal.bundled) return api;
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    let fullStack = koffi.config().async_stack_size! >= STACK;
    try {
      if (!fullStack) koffi.config({ ...koffi.config(), async_stack_size: STACK });
      fullStack = true;
    } catch {
      // Another module loaded a library first: the configuration is fixed.
    }
    const lib = koffi.load(library);
    // A type name is declared once a process; modules may be loaded again (tests).
    try {
      koffi.resolve('GDALHandle');
    } catch {
      koffi.pointer('GDALHandle', koffi.opaque());
    }
    api = {
      sync: (prototype) => lib.func(prototype) as never,
      async: (prototype) => promisify(lib.func(prototype).async) as never,
      resetError: lib.func('void CPLErrorReset()') as () => void,
      lastError: lib.func('const char *CPLGetLastErrorMsg()') as () => string,
      fullStack,
    };
  } catch {
    api = null;
  }
  return api;
}

/**
 * An error (RASTER_GDAL_FAILED by default) saying `what` failed, then GDAL's own message cleaned
 * of server paths, if `gdalText` has one (`lastError()` after a `sync` call, or whyNotOpened).
 * The raw text goes in `cause`, for the logs.
 */
export function gdalFailure(what: string, gdalText: string, code = 'RASTER_GDAL_FAILED'): RasterError {
  if (!gdalText) return new RasterError(code, what);
  return new RasterError(code, `${what}: ${cleanGdalMessage(gdalText)}`, { cause: new Error(gdalText) });
}

/**
 * Why GDAL cannot open `file`, in its words ('' if it opens now). An `async` GDALOpen leaves its
 * error on the pool thread that ran it; gdal-async reads it there, so the open is asked again
 * through it, on the failure path only.
 */
export async function whyNotOpened(file: string): Promise<string> {
  try {
    (await gdal.openAsync(file)).close();
    return '';
  } catch (error) {
    return (error as Error).message ?? '';
  }
}
