import type { Dims } from '../../../geometry/coordinate-dims.js';
import type { Position } from '../../../geometry/esri-geometry.js';

/** The `quantizationParameters` query parameter (ArcGIS JS sends view mode, upper-left origin). */
export interface QuantizationParameters {
  mode?: 'view' | 'edit';
  originPosition?: 'upperLeft' | 'bottomLeft' | 'lowerLeft';
  /** Grid cell size in the units of the output spatial reference. */
  tolerance?: number;
  extent?: { xmin: number; ymin: number; xmax: number; ymax: number };
}

/** world = translate + q × scale; for an upper-left origin y runs down: y = translate − q × scale. */
export interface PbfTransform {
  originPosition: 'upperLeft' | 'lowerLeft';
  scale: { x: number; y: number; z: number; m: number };
  translate: { x: number; y: number; z: number; m: number };
}

/** One geometry as the proto carries it: vertex counts per part and delta-encoded integers. */
export interface QuantizedGeometry {
  lengths: number[];
  coords: number[];
}

export type PartKind = 'point' | 'multipoint' | 'path' | 'ring';

// Coordinates are sint32 in the published proto. The default grid keeps every absolute value in
// [0, 2^31 − 2]; a grid anchored elsewhere keeps |q| ≤ 2^30 so that deltas still fit.
const INT32_MAX = 2 ** 31 - 1;
const DEFAULT_RANGE = 2 ** 31 - 2;
const ANCHORED_RANGE = 2 ** 30;

interface Range {
  min: number;
  max: number;
}

/**
 * The transform for a response. With `quantizationParameters`, the grid is the requested
 * tolerance anchored at the requested extent's upper-left (or lower-left) corner. Without them
 * (clients that ask for `f=pbf` but not for quantization), the grid is anchored at the data's own
 * upper-left corner and is as fine as sint32 allows over the data's extent — about span / 2^31,
 * i.e. sub-millimetre for anything up to a few thousand kilometres — but never finer than float64
 * can tell apart. z and m get the same treatment over their own ranges.
 */
export function chooseTransform(parts: Iterable<Position[][]>, dims: Dims, params?: QuantizationParameters): PbfTransform {
  const x: Range = { min: Infinity, max: -Infinity };
  const y: Range = { min: Infinity, max: -Infinity };
  const z: Range = { min: Infinity, max: -Infinity };
  const m: Range = { min: Infinity, max: -Infinity };
  const mIndex = dims.hasZ ? 3 : 2;
  for (const geometry of parts) {
    for (const part of geometry) {
      for (const p of part) {
        extend(x, p[0]);
        extend(y, p[1]);
        if (dims.hasZ) extend(z, p[2]);
        if (dims.hasM) extend(m, p[mIndex]);
      }
    }
  }
  const upperLeft = params?.originPosition !== 'bottomLeft' && params?.originPosition !== 'lowerLeft';
  const extent = params?.extent;
  const origin = {
    x: extent?.xmin ?? (x.min === Infinity ? 0 : x.min),
    y: upperLeft ? (extent?.ymax ?? (y.max === -Infinity ? 0 : y.max)) : (extent?.ymin ?? (y.min === Infinity ? 0 : y.min)),
  };
  const range = extent === undefined ? DEFAULT_RANGE : ANCHORED_RANGE;
  const xyScale =
    params?.tolerance !== undefined && params.tolerance > 0
      ? params.tolerance
      : fineScale(Math.max(spanFrom(origin.x, x), spanFrom(origin.y, y)), Math.max(absMax(x), absMax(y)), range);
  return {
    originPosition: upperLeft ? 'upperLeft' : 'lowerLeft',
    scale: { x: xyScale, y: xyScale, z: scaleOf(z), m: scaleOf(m) },
    translate: { x: origin.x, y: origin.y, z: z.min === Infinity ? 0 : z.min, m: m.min === Infinity ? 0 : m.min },
  };
}

function extend(range: Range, value: number | undefined): void {
  if (value === undefined || Number.isNaN(value)) return;
  if (value < range.min) range.min = value;
  if (value > range.max) range.max = value;
}

function spanFrom(origin: number, range: Range): number {
  return range.min === Infinity ? 0 : Math.max(Math.abs(range.max - origin), Math.abs(range.min - origin));
}

function absMax(range: Range): number {
  return range.min === Infinity ? 0 : Math.max(Math.abs(range.min), Math.abs(range.max));
}

function scaleOf(range: Range): number {
  return range.min === Infinity ? 1 : fineScale(range.max - range.min, absMax(range), DEFAULT_RANGE);
}

function fineScale(span: number, magnitude: number, range: number): number {
  const scale = Math.max(span / range, magnitude * Number.EPSILON);
  return scale > 0 ? scale : 1;
}

/**
 * Turns positions (already in the response's x, y[, z][, m] layout) into proto integers. Each
 * part starts with an absolute x/y and continues with differences from the previous vertex —
 * parts do not continue one another, as the published examples and Esri's own decoders read it.
 * z and m are absolute on their own grids. In view mode a vertex landing on the previous one's
 * cell is dropped, and so is a path left with under 2 vertices or a ring with under 4.
 */
export class Quantizer {
  private readonly upperLeft: boolean;
  private readonly mIndex: number;

  constructor(
    private readonly transform: PbfTransform,
    private readonly dims: Dims,
    private readonly mode: 'view' | 'edit',
  ) {
    this.upperLeft = transform.originPosition === 'upperLeft';
    this.mIndex = dims.hasZ ? 3 : 2;
  }

  quantize(parts: Position[][], kind: PartKind): QuantizedGeometry | null {
    const lengths: number[] = [];
    const coords: number[] = [];
    const dropRepeats = this.mode === 'view' && (kind === 'path' || kind === 'ring');
    const minimum = this.mode === 'edit' ? 1 : kind === 'ring' ? 4 : kind === 'path' ? 2 : 1;
    for (const part of parts) {
      const start = coords.length;
      let count = 0;
      let prevX = 0;
      let prevY = 0;
      for (const p of part) {
        const qx = this.quantizeX(p[0]);
        const qy = this.quantizeY(p[1]);
        if (dropRepeats && count > 0 && qx === prevX && qy === prevY) continue;
        coords.push(checked(qx - prevX), checked(qy - prevY));
        if (this.dims.hasZ) coords.push(checked(this.quantizeOther(p[2], 'z')));
        if (this.dims.hasM) coords.push(checked(this.quantizeOther(p[this.mIndex], 'm')));
        prevX = qx;
        prevY = qy;
        count++;
      }
      if (count < minimum) coords.length = start;
      else lengths.push(count);
    }
    if (lengths.length === 0) return null;
    return { lengths: kind === 'point' ? [] : lengths, coords };
  }

  private quantizeX(x: number): number {
    return Math.round((x - this.transform.translate.x) / this.transform.scale.x);
  }

  private quantizeY(y: number): number {
    const { translate, scale } = this.transform;
    return Math.round((this.upperLeft ? translate.y - y : y - translate.y) / scale.y);
  }

  /** A missing value (NaN m) has no integer form; it is written as the grid origin. */
  private quantizeOther(value: number | undefined, axis: 'z' | 'm'): number {
    if (value === undefined || Number.isNaN(value)) return 0;
    return Math.round((value - this.transform.translate[axis]) / this.transform.scale[axis]);
  }
}

function checked(value: number): number {
  if (value > INT32_MAX || value < -INT32_MAX) {
    throw new RangeError('Quantized coordinate does not fit in 32 bits; the quantization tolerance is too fine for the extent');
  }
  return value;
}
