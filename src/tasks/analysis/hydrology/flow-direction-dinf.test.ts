import { describe, expect, it } from 'vitest';
import { aspectToAngle, dinfAccumulation, dinfAngles, facetAngle } from './flow-direction-dinf.js';
import type { Grid } from './grid.js';

// The hydrology HTTP test's 6×6 valley (10 m cells): z = 10 + (5 − row) + 3·|col − 2|.
const valley = (): Grid => ({
  width: 6,
  height: 6,
  values: Float64Array.from({ length: 36 }, (_, i) => 10 + (5 - Math.floor(i / 6)) + 3 * Math.abs((i % 6) - 2)),
  geoTransform: [0, 10, 0, 60, 0, -10],
  srsWkt: null,
});
const SIDE = (Math.atan(1 / 3) * 180) / Math.PI; // 18.43°: 1 m down-valley per 3 m sideways

describe('D-infinity (Tarboton)', () => {
  it('turns SAGA aspects (clockwise from north) into angles counter-clockwise from east', () => {
    expect(aspectToAngle(90)).toBe(0);
    expect(aspectToAngle(0)).toBe(90);
    expect(aspectToAngle(180)).toBe(270);
    expect(aspectToAngle(108.4349)).toBeCloseTo(360 - SIDE, 3);
    expect(aspectToAngle(-1)).toBeNaN();
    expect(aspectToAngle(NaN)).toBeNaN();
  });

  it('gives the same doubles as the modulo formula it replaces', () => {
    const formula = (a: number) => {
      const angle = (((90 - a) % 360) + 360) % 360;
      return angle >= 360 - 1e-9 ? 0 : angle;
    };
    const aspects = [0, 1e-12, 89.99999999999, 90, 90 + 1e-13, 180, 269.9999999, 270, 359.9999999999, 360, 400, 1000.5];
    for (let i = 0; i < 100_000; i++) aspects.push(Math.random() * 360);
    for (const a of aspects) expect(Object.is(aspectToAngle(a), formula(a))).toBe(true);
  });

  it('redoes the cells beside NoData over the facets inside, as the edge cells', () => {
    const surface = valley();
    surface.values[3 * 6 + 3] = NaN;
    const bogus = new Float64Array(36).fill(45);
    const { angles } = dinfAngles(surface, bogus, undefined);
    expect(angles[3 * 6 + 3]).toBeNaN();
    for (const i of [2 * 6 + 2, 2 * 6 + 4, 4 * 6 + 2, 4 * 6 + 4]) expect(angles[i]).toBe(facetAngle(surface, Math.floor(i / 6), i % 6).angle);
    expect(angles[1 * 6 + 1]).toBe(45); // two cells away: the engine's
  });

  it('writes the same angles over the aspects in their Float32Array as into a grid of their own', () => {
    const surface = valley();
    surface.values[3 * 6 + 3] = NaN;
    const aspects = Float32Array.from({ length: 36 }, (_, i) => (i * 37.3) % 361 - 1);
    const apart = dinfAngles(surface, Float64Array.from(aspects), undefined, true).angles;
    const { angles, drops } = dinfAngles(surface, aspects, undefined, true, aspects);
    expect(angles).toBe(aspects);
    expect([...angles]).toEqual([...apart].map(Math.fround));
    expect(drops).toBeUndefined(); // no slope grid, no drop raster
  });

  it('finds the steepest facet: east-south-east on the west slope, south in the valley, west-south-west on the east slope', () => {
    const surface = valley();
    expect(facetAngle(surface, 2, 0).angle).toBeCloseTo(360 - SIDE, 9);
    expect(facetAngle(surface, 2, 0).slope).toBeCloseTo(Math.hypot(0.3, 0.1), 9);
    expect(facetAngle(surface, 2, 2).angle).toBeCloseTo(270, 9);
    expect(facetAngle(surface, 2, 4).angle).toBeCloseTo(180 + SIDE, 9);
    // The outlet has no downslope facet inside the grid.
    expect(facetAngle(surface, 5, 2).angle).toBeNaN();
  });

  it('redoes edge cells over the facets inside; cells with none flow straight out', () => {
    const surface = valley();
    const bogus = new Float64Array(36).fill(45); // what an engine extrapolating past the edge might say
    const { angles } = dinfAngles(surface, bogus, new Float64Array(36));
    expect(angles[2]).toBeCloseTo(270, 9); // top of the valley: south, not out of the grid
    expect(angles[5 * 6 + 2]).toBe(270); // the outlet flows out of the bottom
    expect(angles[5 * 6 + 0]).toBeCloseTo(0, 9);
    expect(angles[2 * 6 + 2]).toBe(45); // inner cells are the engine's
    expect(dinfAngles(surface, bogus, new Float64Array(36), true).angles[0]).toBe(135); // forceFlow: the top-left corner flows out north-west
    // Without SAGA's slope (no drop raster asked for) the angles are the same.
    expect(dinfAngles(surface, bogus, undefined).angles).toEqual(angles);
  });

  it('accumulates proportionally between the two neighbours bounding each angle, the cell itself not counted', () => {
    const surface = valley();
    const angles: Grid = { ...surface, values: dinfAngles(surface, new Float64Array(36).fill(NaN), new Float64Array(36)).angles };
    // Every cell is on the edge or would need the engine: give inner cells their facet angles.
    for (let r = 1; r < 5; r++) for (let c = 1; c < 5; c++) angles.values[r * 6 + c] = facetAngle(surface, r, c).angle;
    for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) if (Number.isNaN(angles.values[r * 6 + c]!)) throw new Error(`no angle at ${r},${c}`);
    const acc = dinfAccumulation(angles);
    const east = (360 - SIDE - 315) / 45; // share of a west-slope cell going east (the rest south-east)
    expect(acc[0]).toBe(0);
    expect(acc[1]).toBeCloseTo(east, 9); // (0,1): (0,0)'s eastward share
    expect(acc[2 * 6 + 1]).toBeCloseTo(1, 9); // (2,1): east share of (2,0) + south-east share of (1,0)
    // (0,2) from (0,1) (fed by (0,0)) and (0,3) (fed by (0,4), fed by (0,5)): the valley is off centre.
    expect(acc[2]).toBeCloseTo(east * (1 + east) + east * (1 + east * (1 + east)), 9);
    expect(acc[5 * 6 + 2]).toBeCloseTo(35, 9); // everything reaches the outlet
  });
});
