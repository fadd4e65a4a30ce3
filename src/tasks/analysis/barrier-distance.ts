/**
 * Straight-line distance around barriers: the shortest path from each cell to a source that
 * does not cross a barrier cell, as a string of straight segments between cell centres (an
 * any-angle Dijkstra: a cell takes its neighbour's anchor point when it sees that point, else the
 * neighbour itself as a new anchor, the way a taut string wraps around a barrier's corners).
 * Sight lines are checked cell by cell, after an O(1) "no barrier in the box" test that settles
 * most of them.
 *
 * Returns per cell: the distance (Infinity when unreachable), the source cell reached (-1) and
 * the anchor (the next corner on the way back, the source itself in the open).
 */
export function distanceAroundBarriers(isSource: Uint8Array, isBarrier: Uint8Array, width: number, height: number, cellX: number, cellY: number): { distance: Float64Array; source: Int32Array; anchor: Int32Array } {
  const n = width * height;
  const distance = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const source = new Int32Array(n).fill(-1);
  const anchor = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  const blocked = barrierTable(isBarrier, width, height);
  const heap = new MinHeap();
  for (let i = 0; i < n; i++) {
    if (!isSource[i] || isBarrier[i]) continue;
    distance[i] = 0;
    source[i] = i;
    anchor[i] = i;
    heap.push(i, 0);
  }
  const length = (a: number, b: number) => Math.hypot(((a % width) - (b % width)) * cellX, (Math.floor(a / width) - Math.floor(b / width)) * cellY);
  while (heap.size > 0) {
    const p = heap.pop();
    if (done[p]) continue;
    done[p] = 1;
    const px = p % width;
    const py = (p - px) / width;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const qx = px + dx;
        const qy = py + dy;
        if ((dx === 0 && dy === 0) || qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
        const q = qy * width + qx;
        if (done[q] || isBarrier[q]) continue;
        // No squeezing diagonally between two barrier cells.
        if (dx !== 0 && dy !== 0 && isBarrier[py * width + qx] && isBarrier[qy * width + px]) continue;
        const a = anchor[p];
        let via = a;
        let d = distance[a] + length(a, q);
        if (!sees(a, q, width, isBarrier, blocked)) {
          via = p;
          d = distance[p] + length(p, q);
        }
        if (d < distance[q] - 1e-9) {
          distance[q] = d;
          anchor[q] = via;
          source[q] = source[p];
          heap.push(q, d);
        }
      }
    }
  }
  return { distance, source, anchor };
}

/** Summed-area table of barrier cells ((width+1) × (height+1)). */
function barrierTable(isBarrier: Uint8Array, width: number, height: number): Int32Array {
  const w = width + 1;
  const table = new Int32Array(w * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += isBarrier[y * width + x] ? 1 : 0;
      table[(y + 1) * w + x + 1] = table[y * w + x + 1] + row;
    }
  }
  return table;
}

/** True when the segment between two cell centres crosses no barrier cell. */
function sees(a: number, b: number, width: number, isBarrier: Uint8Array, table: Int32Array): boolean {
  const ax = a % width;
  const ay = (a - ax) / width;
  const bx = b % width;
  const by = (b - bx) / width;
  const [x0, x1] = ax < bx ? [ax, bx] : [bx, ax];
  const [y0, y1] = ay < by ? [ay, by] : [by, ay];
  const w = width + 1;
  if (table[(y1 + 1) * w + x1 + 1] - table[y0 * w + x1 + 1] - table[(y1 + 1) * w + x0] + table[y0 * w + x0] === 0) return true;
  // Walk every cell the segment passes through (a supercover line, in cell units).
  const nx = Math.abs(bx - ax);
  const ny = Math.abs(by - ay);
  const sx = bx > ax ? 1 : -1;
  const sy = by > ay ? 1 : -1;
  let x = ax;
  let y = ay;
  for (let ix = 0, iy = 0; ix < nx || iy < ny; ) {
    const decision = (1 + 2 * ix) * ny - (1 + 2 * iy) * nx;
    if (decision === 0) {
      // Through a cell corner: both side cells are touched.
      if (isBarrier[y * width + x + sx] || isBarrier[(y + sy) * width + x]) return false;
      x += sx;
      y += sy;
      ix++;
      iy++;
    } else if (decision < 0) {
      x += sx;
      ix++;
    } else {
      y += sy;
      iy++;
    }
    if (isBarrier[y * width + x]) return false;
  }
  return true;
}

/** A binary min-heap of cell indexes by priority (stale entries are skipped by the caller). */
class MinHeap {
  private items = new Int32Array(1024);
  private keys = new Float64Array(1024);
  size = 0;

  push(item: number, key: number): void {
    if (this.size === this.items.length) {
      const items = new Int32Array(this.size * 2);
      items.set(this.items);
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.items = items;
      this.keys = keys;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.items[i] = this.items[parent];
      this.keys[i] = this.keys[parent];
      i = parent;
    }
    this.items[i] = item;
    this.keys[i] = key;
  }

  pop(): number {
    const top = this.items[0];
    const item = this.items[--this.size];
    const key = this.keys[this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= key) break;
      this.items[i] = this.items[child];
      this.keys[i] = this.keys[child];
      i = child;
    }
    this.items[i] = item;
    this.keys[i] = key;
    return top;
  }
}
