import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EncodedImage } from './encode-image.js';

const NAME = /^_ags_[0-9a-f-]{36}\.[a-z0-9]{2,5}$/;
const SEGMENT = /^[A-Za-z0-9_.-]{1,200}$/;

/**
 * Short-lived output files of `exportImage?f=json`, served from
 * `rest/directories/arcgisoutput/<folder>/<service>_ImageServer/_ags_<uuid>.<ext>` as ArcGIS does.
 * Names are random (the href is the only capability needed to read one); files older than
 * `ttlMs` are swept when new ones are written.
 *
 * @example const href = `${base}/rest/directories/arcgisoutput/${await outputs.write('Hosted', 'uav_ImageServer', image)}`;
 */
export class OutputFiles {
  private lastSweep = 0;

  constructor(
    readonly root: string,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** Writes the image; returns its path below `arcgisoutput/` (folder/service/name). */
  async write(folder: string, service: string, image: EncodedImage): Promise<string> {
    const dir = path.join(this.root, folder || '_', service);
    await mkdir(dir, { recursive: true });
    const name = `_ags_${randomUUID()}.${image.extension}`;
    await writeFile(path.join(dir, name), image.bytes);
    void this.sweep();
    return `${folder || '_'}/${service}/${name}`;
  }

  /** The file for a request path, or null when the name is not one of ours or has expired. */
  async find(folder: string, service: string, name: string): Promise<string | null> {
    if (!SEGMENT.test(folder) || !SEGMENT.test(service) || !NAME.test(name)) return null;
    const file = path.join(this.root, folder, service, name);
    const info = await stat(file).catch(() => null);
    if (!info || Date.now() - info.mtimeMs > this.ttlMs) return null;
    return file;
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    if (now - this.lastSweep < Math.min(this.ttlMs, 60_000)) return;
    this.lastSweep = now;
    const folders = await readdir(this.root).catch(() => [] as string[]);
    for (const folder of folders) {
      for (const service of await readdir(path.join(this.root, folder)).catch(() => [] as string[])) {
        const dir = path.join(this.root, folder, service);
        for (const name of await readdir(dir).catch(() => [] as string[])) {
          const file = path.join(dir, name);
          const info = await stat(file).catch(() => null);
          if (info && now - info.mtimeMs > this.ttlMs) await rm(file, { force: true });
        }
      }
    }
  }
}

/** Content type of an output file by extension. */
export function contentTypeOf(name: string): string {
  const extension = path.extname(name).slice(1).toLowerCase();
  const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp', tif: 'image/tiff' };
  return types[extension] ?? 'application/octet-stream';
}
