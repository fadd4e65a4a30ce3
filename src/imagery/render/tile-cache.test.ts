import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EncodedImage } from './encode-image.js';
import { TileCache } from './tile-cache.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tile-cache-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const TILE: EncodedImage = { bytes: Buffer.from('png'), contentType: 'image/png', extension: 'png' };

/** A render that waits until released, and records the signal it was given. */
function slowRender() {
  let release: (tile: EncodedImage | null) => void = () => undefined;
  const calls: AbortSignal[] = [];
  const render = (signal: AbortSignal) => {
    calls.push(signal);
    return new Promise<EncodedImage | null>((resolve, reject) => {
      release = resolve;
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  };
  return { render, calls, release: (tile: EncodedImage | null) => release(tile) };
}

describe('TileCache', () => {
  it('renders a tile once for concurrent callers and keeps rendering while one of them is left', async () => {
    const cache = new TileCache(root);
    const slow = slowRender();
    const first = new AbortController();
    const a = cache.get('c', 1, 0, 0, 0, slow.render, first.signal);
    const b = cache.get('c', 1, 0, 0, 0, slow.render, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    first.abort(new DOMException('gone', 'AbortError'));
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    expect(slow.calls).toHaveLength(1);
    expect(slow.calls[0].aborted).toBe(false);
    slow.release(TILE);
    expect((await b)?.bytes.toString()).toBe('png');
    expect((await cache.get('c', 1, 0, 0, 0, slow.render))?.contentType).toBe('image/png'); // from disk now
    expect(slow.calls).toHaveLength(1);
  });

  it('stops the render when every caller has gone, and renders afresh for the next', async () => {
    const cache = new TileCache(root);
    const slow = slowRender();
    const callers = [new AbortController(), new AbortController()];
    const waits = callers.map((c) => cache.get('c', 1, 2, 3, 4, slow.render, c.signal));
    await new Promise((resolve) => setTimeout(resolve, 20));
    callers.forEach((c) => c.abort(new DOMException('gone', 'AbortError')));
    for (const wait of waits) await expect(wait).rejects.toMatchObject({ name: 'AbortError' });
    expect(slow.calls[0].aborted).toBe(true);
    const again = cache.get('c', 1, 2, 3, 4, slow.render, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(slow.calls).toHaveLength(2);
    slow.release(null);
    expect(await again).toBeNull();
  });

  it('refuses a caller that has already gone without starting a render', async () => {
    const cache = new TileCache(root);
    const slow = slowRender();
    await expect(cache.get('c', 1, 0, 0, 1, slow.render, AbortSignal.abort())).rejects.toBeDefined();
    expect(slow.calls).toHaveLength(0);
  });
});
