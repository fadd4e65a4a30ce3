import type { Config } from '../../config.js';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EncodedImage } from './encode-image.js';

const EXTENSIONS: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png' };
const EMPTY = 'empty';

/** `<dataDir>/tiles`: cached tiles, one folder per collection, one subfolder per catalog version. */
export function tileCacheRoot(config: Config): string {
  return path.join(config.dataDir, 'tiles');
}

/** A render under way, shared by the requests waiting for it; stopped when the last has gone. */
interface PendingTile {
  job: Promise<EncodedImage | null>;
  waiters: number;
  abort: AbortController;
}

/**
 * Rendered tiles on disk: `<root>/<collectionId>/<version>/<level>/<row>/<col>.<jpg|png|empty>`.
 * The version is the collection's `modified`, which every catalog change (AddImage, DeleteImage)
 * moves, so a change starts a fresh cache; older versions are deleted when a new one is first
 * used. Tiles without data are remembered as `.empty` files. Concurrent requests for one missing
 * tile render it once.
 *
 * @example const tile = await tiles.get(collection.id, collection.modified, 12, 1500, 700, (signal) => renderTile(..., signal), request.signal);
 */
export class TileCache {
  private readonly pending = new Map<string, PendingTile>();
  private readonly current = new Map<string, number>();

  constructor(readonly root: string) {}

  /**
   * The tile from disk, else rendered by `render` (once for concurrent requests). `signal` is the
   * caller's: when it aborts the caller stops waiting, and the render stops (before its next
   * GDAL read) once no caller is left.
   */
  async get(
    collectionId: string,
    version: number,
    level: number,
    row: number,
    col: number,
    render: (signal: AbortSignal) => Promise<EncodedImage | null>,
    signal?: AbortSignal,
  ): Promise<EncodedImage | null> {
    const dir = path.join(this.root, safe(collectionId), String(version), String(level), String(row));
    const key = `${dir}/${col}`;
    const cached = await this.read(dir, col);
    if (cached !== undefined) return cached;
    signal?.throwIfAborted();
    let pending = this.pending.get(key);
    if (!pending) {
      const abort = new AbortController();
      const entry: PendingTile = { job: this.renderAndStore(dir, col, () => render(abort.signal)), waiters: 0, abort };
      // Every caller may have gone by the time it settles: nobody else sees a failure then.
      entry.job.catch(() => undefined).finally(() => this.forget(key, entry));
      pending = entry;
      this.pending.set(key, pending);
      this.pruneOldVersions(collectionId, version);
    }
    return this.wait(key, pending, signal);
  }

  private async wait(key: string, pending: PendingTile, signal?: AbortSignal): Promise<EncodedImage | null> {
    pending.waiters++;
    let leave: () => void = () => undefined;
    const left = new Promise<never>((_, reject) => {
      leave = () => {
        if (--pending.waiters === 0) {
          this.forget(key, pending); // a later request starts a fresh render
          pending.abort.abort(signal?.reason);
        }
        reject(signal?.reason as Error);
      };
    });
    signal?.addEventListener('abort', leave, { once: true });
    try {
      return await Promise.race([pending.job, left]);
    } finally {
      signal?.removeEventListener('abort', leave);
      if (!signal?.aborted) pending.waiters--;
    }
  }

  private forget(key: string, pending: PendingTile): void {
    if (this.pending.get(key) === pending) this.pending.delete(key);
  }

  /** Drops every cached tile of a collection (it was deleted). */
  async remove(collectionId: string): Promise<void> {
    await rm(path.join(this.root, safe(collectionId)), { recursive: true, force: true });
  }

  /** The tile, null for a remembered empty tile, undefined when not cached. */
  private async read(dir: string, col: number): Promise<EncodedImage | null | undefined> {
    for (const extension of [...Object.keys(EXTENSIONS), EMPTY]) {
      const bytes = await readFile(path.join(dir, `${col}.${extension}`)).catch(() => null);
      if (bytes === null) continue;
      return extension === EMPTY ? null : { bytes, contentType: EXTENSIONS[extension], extension };
    }
    return undefined;
  }

  private async renderAndStore(dir: string, col: number, render: () => Promise<EncodedImage | null>): Promise<EncodedImage | null> {
    const tile = await render();
    const extension = tile ? tile.extension : EMPTY;
    await mkdir(dir, { recursive: true });
    // Write then rename: a reader never sees half a tile.
    const file = path.join(dir, `${col}.${extension}`);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, tile ? tile.bytes : Buffer.alloc(0));
    await rename(temporary, file);
    return tile;
  }

  /**
   * Deletes the versions older than this one (`modified` only grows). Never a newer one: a slow
   * request may still carry the collection as it was before a change.
   */
  private pruneOldVersions(collectionId: string, version: number): void {
    if ((this.current.get(collectionId) ?? -Infinity) >= version) return;
    this.current.set(collectionId, version);
    const base = path.join(this.root, safe(collectionId));
    void readdir(base)
      .then((versions) => Promise.all(versions.filter((v) => Number(v) < version).map((v) => rm(path.join(base, v), { recursive: true, force: true }))))
      .catch(() => undefined);
  }
}

function safe(segment: string): string {
  return segment.replace(/[^\w-]/g, '_');
}
