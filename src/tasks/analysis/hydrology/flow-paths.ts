import { D8_DCOL, D8_DROW, downstreamOf } from './d8.js';
import { cellSizes, type Grid } from './grid.js';

/**
 * Flow graphs where a cell may pass its flow to several neighbours (DINF: the two its angle lies
 * between; MFD: every lower neighbour), and ArcGIS Flow Distance over them.
 *
 * A graph is compressed rows: cell i sends `shares[k]` of its flow to `targets[k]` for
 * k in [offsets[i], offsets[i + 1]). Receivers are inside the grid and not NoData; flow that
 * leaves the grid or enters NoData is not listed.
 */
export interface FlowGraph {
  offsets: Int32Array;
  targets: Int32Array;
  shares: Float64Array;
}

/** Row/column steps of the neighbours at 0°, 45° … 315° (counter-clockwise from east), as DINF angles run. */
const DINF_DROW = [0, -1, -1, -1, 0, 1, 1, 1] as const;
const DINF_DCOL = [1, 1, 0, -1, -1, -1, 0, 1] as const;

class GraphBuilder {
  private readonly offsets: Int32Array;
  private targets: Int32Array;
  private shares: Float64Array;
  private size = 0;
  private cell = 0;

  constructor(n: number) {
    this.offsets = new Int32Array(n + 1);
    this.targets = new Int32Array(Math.max(16, 2 * n));
    this.shares = new Float64Array(this.targets.length);
  }

  add(target: number, share: number): void {
    if (this.size === this.targets.length) {
      const targets = new Int32Array(this.size * 2);
      targets.set(this.targets);
      this.targets = targets;
      const shares = new Float64Array(this.size * 2);
      shares.set(this.shares);
      this.shares = shares;
    }
    this.targets[this.size] = target;
    this.shares[this.size++] = share;
  }

  /** Closes cell i (cells are closed in order 0, 1, …). */
  next(): void {
    this.offsets[++this.cell] = this.size;
  }

  build(): FlowGraph {
    return { offsets: this.offsets, targets: this.targets.subarray(0, this.size), shares: this.shares.subarray(0, this.size) };
  }
}

/** D8: each cell's whole flow to the neighbour its Esri code names. */
export function d8Graph(directions: Grid): FlowGraph {
  const down = downstreamOf(directions);
  const graph = new GraphBuilder(down.length);
  for (let i = 0; i < down.length; i++) {
    if (down[i]! >= 0) graph.add(down[i]!, 1);
    graph.next();
  }
  return graph.build();
}

/**
 * D-infinity (Tarboton 1997): each cell's flow split between the two neighbours bounding its
 * angle (degrees counter-clockwise from east), in proportion to how close the angle is to each.
 */
export function dinfGraph(angles: Grid): FlowGraph {
  const { width, height, values } = angles;
  const graph = new GraphBuilder(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const a = values[row * width + col]!;
      if (!Number.isNaN(a) && a >= 0) {
        const sector = Math.floor(a / 45) % 8;
        const fraction = (a - sector * 45) / 45;
        for (const [k, share] of [[sector, 1 - fraction], [(sector + 1) % 8, fraction]] as const) {
          if (share <= 1e-12) continue;
          const r = row + DINF_DROW[k]!;
          const c = col + DINF_DCOL[k]!;
          if (r < 0 || r >= height || c < 0 || c >= width || Number.isNaN(values[r * width + c]!)) continue;
          graph.add(r * width + c, share);
        }
      }
      graph.next();
    }
  }
  return graph.build();
}

/**
 * MFD with Qin et al.'s adaptive exponent (2007; ArcGIS's MFD), split as SAGA's `ta_hydrology 0`
 * METHOD 6 splits it, which FlowAccumulation MFD runs: a cell's flow goes to every lower
 * neighbour j in proportion to tan βⱼ^p, where tan βⱼ is the drop over the distance to j and
 * p = 8.9 · min(tan βmax, 1) + 1.1 (SAGA leaves out Qin's contour-length weights; checked
 * against it in flow-paths.test.ts). A cell with no lower neighbour inside the grid (a flat, a
 * sink floor) follows its D8 code in `d8` when that names one neighbour.
 */
export function mfdGraph(surface: Grid, d8: Grid): FlowGraph {
  const { width, height, values: z } = surface;
  const { dx, dy } = cellSizes(surface);
  const lengths = D8_DROW.map((dr, k) => Math.hypot(dr * dy, D8_DCOL[k]! * dx));
  const down = downstreamOf(d8);
  const graph = new GraphBuilder(width * height);
  const slopes = new Float64Array(8);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const z0 = z[i]!;
      let steepest = 0;
      if (!Number.isNaN(z0)) {
        for (let k = 0; k < 8; k++) {
          slopes[k] = 0;
          const r = row + D8_DROW[k]!;
          const c = col + D8_DCOL[k]!;
          if (r < 0 || r >= height || c < 0 || c >= width) continue;
          const zn = z[r * width + c]!;
          if (Number.isNaN(zn) || zn >= z0) continue;
          slopes[k] = (z0 - zn) / lengths[k]!;
          steepest = Math.max(steepest, slopes[k]!);
        }
      }
      if (steepest > 0) {
        const p = 8.9 * Math.min(steepest, 1) + 1.1;
        let total = 0;
        for (let k = 0; k < 8; k++) if (slopes[k]! > 0) total += slopes[k]! ** p;
        for (let k = 0; k < 8; k++) if (slopes[k]! > 0) graph.add((row + D8_DROW[k]!) * width + col + D8_DCOL[k]!, slopes[k]! ** p / total);
      } else if (!Number.isNaN(z0) && down[i]! >= 0 && !Number.isNaN(z[down[i]!]!)) {
        graph.add(down[i]!, 1);
      }
      graph.next();
    }
  }
  return graph.build();
}

/**
 * Cells in an order where every cell comes after all cells that pass flow to it (Kahn's
 * algorithm). Cells caught in a loop are left out.
 */
export function upstreamFirst(graph: FlowGraph, n: number): Int32Array {
  const { offsets, targets } = graph;
  const inflow = new Int32Array(n);
  for (let k = 0; k < targets.length; k++) inflow[targets[k]!]++;
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (inflow[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const i = order[head]!;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) if (--inflow[targets[k]!]! === 0) order[tail++] = targets[k]!;
  }
  return order.subarray(0, tail);
}

/** Total of a graph's flow into each cell: what FlowAccumulation gives (weights default 1). */
export function graphAccumulation(graph: FlowGraph, n: number, weights?: ArrayLike<number>): Float64Array {
  const { offsets, targets, shares } = graph;
  const accumulation = new Float64Array(n);
  for (const i of upstreamFirst(graph, n)) {
    const w = weights ? weights[i]! : 1;
    const out = accumulation[i]! + (Number.isNaN(w) ? 0 : w);
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) accumulation[targets[k]!]! += out * shares[k]!;
  }
  return accumulation;
}

export type FlowStatistics = 'MINIMUM' | 'WEIGHTED_MEAN' | 'MAXIMUM';

/**
 * ArcGIS Flow Distance over a flow graph: for each cell, the distance down its flow paths to the
 * first stream cell each reaches — horizontal (path length) or vertical (height above that
 * stream cell) — and over several paths their minimum, maximum, or mean weighted by the share
 * of flow each takes. Stream cells (not NoData, not 0) are 0. Paths that leave the grid or
 * enter NoData without meeting a stream do not count (the weights of the others are rescaled);
 * a cell none of whose paths meets a stream is NoData. With one path per cell (D8) every
 * statistic gives that path's distance.
 */
export function graphFlowDistance(streams: Grid, surface: Grid, graph: FlowGraph, type: 'HORIZONTAL' | 'VERTICAL', statistics: FlowStatistics): Float64Array {
  const { width } = surface;
  const n = surface.width * surface.height;
  const { dx, dy } = cellSizes(surface);
  const { offsets, targets, shares } = graph;
  const order = upstreamFirst(graph, n);
  const distance = new Float64Array(n).fill(NaN);
  const z = surface.values;
  for (let o = order.length - 1; o >= 0; o--) {
    const i = order[o]!;
    const s = streams.values[i]!;
    if (!Number.isNaN(s) && s !== 0) {
      distance[i] = 0;
      continue;
    }
    let best = NaN;
    let weighted = 0;
    let weight = 0;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = targets[k]!;
      if (Number.isNaN(distance[j]!)) continue;
      const step = type === 'VERTICAL' ? z[i]! - z[j]! : Math.hypot(((j % width) - (i % width)) * dx, (Math.floor(j / width) - Math.floor(i / width)) * dy);
      const d = step + distance[j]!;
      if (Number.isNaN(d)) continue;
      if (statistics === 'WEIGHTED_MEAN') {
        weighted += shares[k]! * d;
        weight += shares[k]!;
      } else if (Number.isNaN(best) || (statistics === 'MINIMUM' ? d < best : d > best)) {
        best = d;
      }
    }
    distance[i] = statistics === 'WEIGHTED_MEAN' ? (weight > 0 ? weighted / weight : NaN) : best;
  }
  return distance;
}
