import { describe, expect, it } from 'vitest';
import { flowDirectionD8 } from './flow-direction-d8.js';
import { flowAccumulation, streamLink, watershed } from './flow-kernels.js';
import type { Grid } from './grid.js';
import { limitFill } from './limit-fill.js';

const grid = (rows: number[][]): Grid => ({ width: rows[0]!.length, height: rows.length, values: Float64Array.from(rows.flat()), geoTransform: [0, 1, 0, rows.length, 0, -1], srsWkt: null });
const asRows = (values: Float64Array, width: number) => Array.from({ length: values.length / width }, (_, r) => [...values.subarray(r * width, (r + 1) * width)]);

describe('D8 flow direction', () => {
  it.each([
    ['a sink flows to its lowest neighbour', [[5, 5, 5], [5, 1, 3], [5, 5, 5]], 1],
    ['a flat cell gets the sum of its equal neighbours', [[9, 9, 9], [9, 4, 4], [9, 4, 9]], 1 + 4],
  ])('%s', (_name, rows, code) => {
    const surface = grid(rows as number[][]);
    expect(flowDirectionD8(surface).directions[4]).toBe(code);
  });

  it('sends edge cells out unless an inner neighbour is lower; forceFlow always out', () => {
    const surface = grid([[1, 2, 3], [2, 3, 4], [3, 4, 0]]);
    expect(flowDirectionD8(surface).directions[0]).toBe(32);
    expect(flowDirectionD8(surface).directions[5]).toBe(4); // right edge, lower cell below
    expect(flowDirectionD8(surface, true).directions[5]).toBe(1);
  });

  it('flows toward NoData when nothing inside is lower; NoData stays NoData', () => {
    const surface = grid([[5, 5, 5, 5], [5, 2, NaN, 5], [5, 5, 5, 5], [5, 5, 5, 5]]);
    const { directions } = flowDirectionD8(surface);
    expect(directions[5]).toBe(1);
    expect(directions[6]).toBeNaN();
  });
});

describe('flow kernels on a direction grid', () => {
  // Rows 0 and 2 drain into row 1, which drains east and out at (1,3).
  const directions = grid([[2, 4, 4, 8], [1, 1, 1, 1], [128, 64, 64, 32]]);

  it('accumulates upstream cells, not the cell itself', () => {
    expect(asRows(flowAccumulation(directions), 4)).toEqual([[0, 0, 0, 0], [0, 5, 10, 11], [0, 0, 0, 0]]);
  });

  it('labels each cell with the first pour point downstream', () => {
    const pour = new Float64Array(12).fill(NaN);
    pour[6] = 7;
    pour[7] = 9;
    expect(asRows(watershed(directions, pour), 4)).toEqual([[7, 7, 7, 7], [7, 7, 7, 9], [7, 7, 7, 7]]);
  });

  it('starts a new stream link at sources and below junctions', () => {
    const streams = grid([[0, 1, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]]);
    expect(asRows(streamLink(streams, directions), 4)).toEqual([[NaN, 1, NaN, NaN], [2, 3, 3, 3], [NaN, NaN, NaN, NaN]]);
  });
});

describe('limitFill', () => {
  it('keeps sinks deeper than zLimit unfilled and fills shallower ones', () => {
    const original = grid([[9, 9, 9, 9, 9], [9, 5, 9, 8, 9], [9, 9, 9, 9, 9]]);
    const filled = Float64Array.from([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
    expect(asRows(limitFill(original, filled, 2), 5)[1]).toEqual([9, 5, 9, 9, 9]);
  });
});
