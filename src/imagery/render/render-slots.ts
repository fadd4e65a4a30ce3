import { availableParallelism } from 'node:os';
import { isSelfRequestSignal } from '../../net/self-requests.js';

/**
 * How many renders read and warp at once; the others wait their turn in arrival order. Each
 * render's warp buffers (a full-extent view: some 7 MiB a chunk) live while it runs, so more
 * renders than cores only add memory at the peak without more throughput (issue 18). A limit
 * of its own, not the libuv pool's size: a pool thread waiting on remote I/O elsewhere keeps
 * its slot there, not here. A request from this server's own GDAL read (self-requests.ts) takes
 * no slot: the render that reads it holds one and waits for it, so with every slot held so it
 * would never get one.
 */
class RenderSlots {
  private limit = availableParallelism();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** 0: one render a core. */
  setLimit(renders: number): void {
    this.limit = renders > 0 ? renders : availableParallelism();
    while (this.running < this.limit && this.waiting.length > 0) this.next();
  }

  /** Runs `render` once a slot is free; a request gone meanwhile does not start it. */
  async run<T>(render: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (isSelfRequestSignal(signal)) {
      signal!.throwIfAborted();
      return render();
    }
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      signal?.throwIfAborted();
      return await render();
    } finally {
      if (this.waiting.length > 0) this.waiting.shift()!();
      else this.running--;
    }
  }

  private next(): void {
    this.running++;
    this.waiting.shift()!();
  }
}

/** The process's: every render of every collection shares them. */
export const renderSlots = new RenderSlots();
