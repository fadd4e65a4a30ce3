import gdal from 'gdal-async';
import { inTurn } from '../../in-turn.js';
import { gdalOpenPath, readsThisServer } from '../../raster/gdal-egress.js';

interface PathEntry {
  idle: gdal.Dataset[];
  lastUsed: number;
}

/**
 * Open GDAL dataset handles per raster path, reused across requests so that GDAL's block cache
 * (decoded JPEG/DEFLATE tiles) survives between renders. gdal-async locks a handle for the whole
 * of an async operation, so a handle is lent to one render at a time; when none is idle another
 * is opened (never waiting, so two renders can never deadlock on each other's handles) and the
 * surplus is closed on return.
 *
 * @example
 * const rendered = await pool.withDatasets(['/a.tif', '/b.tif'], (datasets) => warp(datasets));
 */
export class DatasetPool {
  private readonly entries = new Map<string, PathEntry>();
  private idleCount = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private maxIdlePerPath = 2,
    private maxIdleTotal = 64,
    private readonly idleMs = 5 * 60_000,
  ) {}

  /**
   * How many idle handles to keep, per file and in all. Each handle that has read holds ~1 MiB
   * of its own beyond GDAL's block cache (a pixel-interleaved GeoTIFF keeps its last decoded block,
   * one per overview level read), so the bound is memory (issue 18).
   */
  setLimits(perPath: number, total: number): void {
    this.maxIdlePerPath = perPath;
    this.maxIdleTotal = total;
    this.keepPerFile(perPath);
    this.keepAtMost();
  }

  async acquire(path: string): Promise<gdal.Dataset> {
    const entry = this.entries.get(path);
    const dataset = entry?.idle.pop();
    if (dataset) {
      this.idleCount--;
      return dataset;
    }
    return gdal.openAsync(gdalOpenPath(path));
  }

  release(path: string, dataset: gdal.Dataset): void {
    let entry = this.entries.get(path);
    if (!entry) {
      entry = { idle: [], lastUsed: 0 };
      this.entries.set(path, entry);
    }
    if (entry.idle.length >= this.maxIdlePerPath) {
      dataset.close();
      return;
    }
    entry.idle.push(dataset);
    entry.lastUsed = Date.now();
    // Re-insert: the Map's order is then least recently used first.
    this.entries.delete(path);
    this.entries.set(path, entry);
    this.idleCount++;
    this.keepAtMost();
    this.startSweeper();
  }

  /**
   * Lends one handle per path to `use`, and takes them back even when it throws. A path that
   * cannot be opened (file removed since the catalog was read) gets null.
   */
  async withDatasets<T>(paths: string[], use: (datasets: Array<gdal.Dataset | null>) => Promise<T>): Promise<T> {
    const open = (p: string) => this.acquire(p).catch(() => null);
    // Paths read from this server open one after the other: in parallel, as many as libuv has
    // threads would leave none for the inner renders they wait for.
    const datasets = paths.some(readsThisServer) ? await inTurn(paths, open) : await Promise.all(paths.map(open));
    try {
      return await use(datasets);
    } finally {
      datasets.forEach((dataset, i) => dataset && this.release(paths[i], dataset));
    }
  }

  /** Closes the idle handles of paths (an image was deleted or replaced). */
  forget(paths: Iterable<string>): void {
    for (const path of paths) this.closeEntry(path);
  }

  closeAll(): void {
    for (const path of [...this.entries.keys()]) this.closeEntry(path);
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Closes the least recently used idle handles beyond `limit` (the pool's own bound unless told; a quiet process keeps few). */
  keepAtMost(limit = this.maxIdleTotal): void {
    for (const [path, entry] of this.entries) {
      if (this.idleCount <= limit) return;
      while (this.idleCount > limit && entry.idle.length > 0) {
        entry.idle.shift()!.close();
        this.idleCount--;
      }
      if (entry.idle.length === 0) this.entries.delete(path);
    }
  }

  /**
   * Closes each file's idle handles but the last returned (the warmest): a second handle serves
   * only renders that overlap on the file, and each holds ~1 MiB of decoded tiles per level read.
   */
  keepOnePerFile(): void {
    this.keepPerFile(1);
  }

  /** Closes each file's oldest idle handles beyond `limit`. */
  private keepPerFile(limit: number): void {
    for (const [path, entry] of this.entries) {
      while (entry.idle.length > limit) {
        entry.idle.shift()!.close();
        this.idleCount--;
      }
      if (entry.idle.length === 0) this.entries.delete(path);
    }
  }

  private closeEntry(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    for (const dataset of entry.idle) dataset.close();
    this.idleCount -= entry.idle.length;
    this.entries.delete(path);
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const cutoff = Date.now() - this.idleMs;
      for (const [path, entry] of this.entries) if (entry.lastUsed < cutoff) this.closeEntry(path);
      if (this.entries.size === 0 && this.sweeper) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }
}

/** The process's pool: every render shares the open handles. */
export const datasetPool = new DatasetPool();
