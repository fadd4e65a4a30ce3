/**
 * Errors raised by the raster library. `message` is safe to show to clients: it names files by
 * their base name only, never by a server path, and carries no raw GDAL text beyond a cleaned
 * first error line. The original error (if any) goes in `cause`, for logs only.
 *
 * @example
 * throw new RasterError('RASTER_UNREADABLE', 'scene.tif: not a raster GDAL can read');
 */
export class RasterError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RasterError';
    this.code = code;
  }
}

/**
 * A raster type (UAV/UAS, Landsat 8, Sentinel-2, ...) cannot handle the given input, or is not
 * implemented yet. Jobs fail with this message rather than ingesting something wrong.
 */
export class RasterTypeError extends RasterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RASTER_TYPE', message, options);
    this.name = 'RasterTypeError';
  }
}

/** Throws the signal's reason (an AbortError) when it has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
