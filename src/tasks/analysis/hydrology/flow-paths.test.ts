import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { d8Graph, dinfGraph, graphAccumulation, graphFlowDistance, mfdGraph } from './flow-paths.js';
import { flowAccumulation, flowDistance } from './flow-kernels.js';
import { readGrid, writeGrid, type Grid } from './grid.js';

const grid = (rows: number[][], cell = 1): Grid => ({ width: rows[0]!.length, height: rows.length, values: Float64Array.from(rows.flat()), geoTransform: [0, cell, 0, rows.length * cell, 0, -cell], srsWkt: null });
const sharesOf = (graph: ReturnType<typeof mfdGraph>, i: number) => {
  const out = new Map<number, number>();
  for (let k = graph.offsets[i]!; k < graph.offsets[i + 1]!; k++) out.set(graph.targets[k]!, graph.shares[k]!);
  return out;
};

describe('flow graphs', () => {
  it('MFD splits by tan β^p, p = 8.9·min(tan βmax, 1) + 1.1 (Qin et al., as SAGA)', () => {
    // Centre 10; east 9.9 (tan β 0.1), south 9.95 (0.05); the rest higher.
    const surface = grid([[11, 11, 11], [11, 10, 9.9], [11, 9.95, 11]]);
    const shares = sharesOf(mfdGraph(surface, grid([[0, 0, 0], [0, 1, 0], [0, 0, 0]])), 4);
    const p = 8.9 * 0.1 + 1.1;
    const east = 0.1 ** p / (0.1 ** p + 0.05 ** p);
    expect([...shares.keys()].sort()).toEqual([5, 7]);
    expect(shares.get(5)).toBeCloseTo(east, 10);
    expect(shares.get(7)).toBeCloseTo(1 - east, 10);
    // Slopes are over the distance: 1 m down to the east equals √2 m down to the south-east.
    const diagonal = sharesOf(mfdGraph(grid([[11, 11, 11], [11, 10, 9], [11, 11, 10 - Math.SQRT2]]), grid([[0, 0, 0], [0, 1, 0], [0, 0, 0]])), 4);
    expect(diagonal.get(8)).toBeCloseTo(0.5, 10);
  });

  it('MFD: a flat cell follows its D8 code; a summed code (undefined flow) goes nowhere', () => {
    const surface = grid([[5, 5, 5], [5, 5, 5], [5, 5, 5]]);
    expect(sharesOf(mfdGraph(surface, grid([[0, 0, 0], [0, 4, 0], [0, 0, 0]])), 4)).toEqual(new Map([[7, 1]]));
    expect(sharesOf(mfdGraph(surface, grid([[0, 0, 0], [0, 5, 0], [0, 0, 0]])), 4).size).toBe(0);
  });

  it('DINF splits between the two neighbours bounding the angle; flow off the grid is dropped', () => {
    const shares = sharesOf(dinfGraph(grid([[0, 292.5, 0], [0, 0, 0]])), 1);
    expect(shares).toEqual(new Map([[4, 0.5], [5, 0.5]])); // half south, half south-east
    expect(sharesOf(dinfGraph(grid([[90, 0], [0, 0]])), 0).size).toBe(0); // north: off the grid
  });

  it('D8 graph accumulation and distance equal the D8 kernels', () => {
    const directions = grid([[2, 4, 4, 8], [1, 1, 1, 1], [128, 64, 64, 32]], 10);
    const streams = grid([[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 0, 0]], 10);
    const surface = grid([[9, 8, 7, 8], [6, 5, 4, 3], [9, 8, 7, 8]], 10);
    expect([...graphAccumulation(d8Graph(directions), 12)]).toEqual([...flowAccumulation(directions)]);
    for (const type of ['HORIZONTAL', 'VERTICAL'] as const) {
      for (const statistics of ['MINIMUM', 'WEIGHTED_MEAN', 'MAXIMUM'] as const) {
        const multi = graphFlowDistance(streams, surface, d8Graph(directions), type, statistics);
        flowDistance(streams, surface, directions, type).forEach((v, i) => (Number.isNaN(v) ? expect(multi[i]).toBeNaN() : expect(multi[i]).toBeCloseTo(v, 10)));
      }
    }
  });
});

describe('flow distance over several paths', () => {
  // Row 1 is the stream; (0,1) sends half its flow south (10 m) and half south-east (14.14 m).
  const streams = grid([[0, 0, 0], [1, 1, 1]], 10);
  const surface = grid([[20, 20, 20], [12, 10, 8]], 10);
  const angles = grid([[NaN, 292.5, NaN], [270, 270, 270]], 10);
  const diagonal = 10 * Math.SQRT2;

  it.each([
    ['MINIMUM', 10, 10],
    ['MAXIMUM', diagonal, 12],
    ['WEIGHTED_MEAN', (10 + diagonal) / 2, 11],
  ] as const)('%s', (statistics, horizontal, vertical) => {
    expect(graphFlowDistance(streams, surface, dinfGraph(angles), 'HORIZONTAL', statistics)[1]).toBeCloseTo(horizontal, 10);
    expect(graphFlowDistance(streams, surface, dinfGraph(angles), 'VERTICAL', statistics)[1]).toBeCloseTo(vertical, 10);
  });

  it('paths that never meet a stream do not count; a cell with none is NoData', () => {
    // (0,0) flows north-east off the grid and east; (0,2) only off the grid.
    const partial = grid([[22.5, 292.5, 45], [270, 270, 270]], 10);
    const d = graphFlowDistance(grid([[0, 0, 0], [1, 1, 1]], 10), surface, dinfGraph(partial), 'HORIZONTAL', 'WEIGHTED_MEAN');
    expect(d[0]).toBeCloseTo(10 + (10 + diagonal) / 2, 10); // only the eastward half counts
    expect(d[2]).toBeNaN();
  });
});

describe("MFD partition against SAGA's Qin et al. accumulation run directly", () => {
  it('gives the same accumulation on a bowl (no flow leaves the grid), SAGA counting the cell itself', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mfd-'));
    try {
      const size = 15;
      const rows = Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => 100 + 0.8 * ((r - 7) ** 2 + (c - 6.5) ** 2) + 0.3 * r + 0.05 * c * r));
      const surface = grid(rows, 10);
      const file = path.join(dir, 'bowl.tif');
      await writeGrid(file, surface, surface.values, 'Float32', true);
      const out = path.join(dir, 'flow.tif');
      execFileSync('saga_cmd', ['ta_hydrology', '0', '-ELEVATION', file, '-FLOW', out, '-METHOD', '6', '-FLOW_UNIT', '0'], { stdio: 'ignore' });
      const saga = (await readGrid(out)).values;
      const float32 = { ...surface, values: Float64Array.from(Float32Array.from(surface.values)) };
      const ours = graphAccumulation(mfdGraph(float32, { ...surface, values: new Float64Array(size * size) }), size * size);
      ours.forEach((v, i) => expect(v + 1).toBeCloseTo(saga[i]!, 3));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
