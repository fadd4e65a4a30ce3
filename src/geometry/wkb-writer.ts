import { inputDimsOf, mOf, zOf, type Dims } from './coordinate-dims.js';
import { isEmptyGeometry, type EsriGeometry, type EsriPoint, type Position } from './esri-geometry.js';
import { groupRings, orientRing } from './rings.js';

export interface WkbWriteOptions {
  /** Dimensions of the stored geometry (the layer's); default: what the geometry carries. */
  hasZ?: boolean;
  hasM?: boolean;
  /** Write MultiLineString/MultiPolygon even for one part, for MULTI* geometry columns. */
  forceMulti?: boolean;
}

const WKB_POINT = 1;
const WKB_LINESTRING = 2;
const WKB_POLYGON = 3;
const WKB_MULTIPOINT = 4;
const WKB_MULTILINESTRING = 5;
const WKB_MULTIPOLYGON = 6;

type Shape =
  | { kind: 'point'; position: Position }
  | { kind: 'multipoint'; positions: Position[] }
  | { kind: 'lines'; lines: Position[][] }
  | { kind: 'polygons'; polygons: Position[][][] };

/**
 * Encodes an Esri geometry as ISO WKB (little-endian; Z/M types 1000/2000/3000) for SpatiaLite's
 * `GeomFromWKB` or PostGIS. Rings are grouped into polygons by containment whatever their winding
 * and written the OGC way (exterior counter-clockwise); an envelope becomes a polygon. Returns
 * null for an empty geometry, which is stored as NULL.
 *
 * @example esriToWkb({ x: 1, y: 2 }) // <Buffer 01 01 00 00 00 ...>
 */
export function esriToWkb(geometry: EsriGeometry, options: WkbWriteOptions = {}): Buffer | null {
  if (isEmptyGeometry(geometry)) return null;
  const input = inputDimsOf(geometry, options);
  const output: Dims = { hasZ: options.hasZ ?? input.hasZ, hasM: options.hasM ?? input.hasM };
  const shape = toShape(geometry, input);
  const writer = new WkbWriter(Buffer.allocUnsafe(sizeOf(shape, options.forceMulti === true, output)), input, output);
  writeShape(writer, shape, options.forceMulti === true);
  return writer.buffer;
}

function toShape(geometry: EsriGeometry, input: Dims): Shape {
  if ('rings' in geometry) {
    const polygons = groupRings(geometry.rings.filter((ring) => ring.length > 0)).map(({ exterior, holes }) => [
      orientRing([...exterior], false),
      ...holes.map((hole) => orientRing([...hole], true)),
    ]);
    return { kind: 'polygons', polygons };
  }
  if ('paths' in geometry) return { kind: 'lines', lines: geometry.paths };
  if ('points' in geometry) return { kind: 'multipoint', positions: geometry.points };
  if ('xmin' in geometry) {
    const [xmin, ymin, xmax, ymax] = [geometry.xmin, geometry.ymin, geometry.xmax, geometry.ymax] as number[];
    const corner = (x: number, y: number): Position => (input.hasZ ? [x, y, geometry.zmin ?? 0] : [x, y]);
    const ring = [corner(xmin, ymin), corner(xmax, ymin), corner(xmax, ymax), corner(xmin, ymax), corner(xmin, ymin)];
    return { kind: 'polygons', polygons: [[ring]] };
  }
  return { kind: 'point', position: pointPosition(geometry, input) };
}

function pointPosition(point: EsriPoint, input: Dims): Position {
  const position: Position = [point.x as number, point.y as number];
  if (input.hasZ) position.push(point.z ?? 0);
  if (input.hasM) position.push(point.m ?? NaN);
  return position;
}

function sizeOf(shape: Shape, forceMulti: boolean, output: Dims): number {
  const vertex = 8 * (2 + (output.hasZ ? 1 : 0) + (output.hasM ? 1 : 0));
  const line = (positions: Position[]): number => 9 + positions.length * vertex;
  const polygon = (rings: Position[][]): number => rings.reduce((sum, ring) => sum + 4 + ring.length * vertex, 9);
  switch (shape.kind) {
    case 'point':
      return 5 + vertex;
    case 'multipoint':
      return 9 + shape.positions.length * (5 + vertex);
    case 'lines':
      return (shape.lines.length > 1 || forceMulti ? 9 : 0) + shape.lines.reduce((sum, l) => sum + line(l), 0);
    case 'polygons':
      return (shape.polygons.length > 1 || forceMulti ? 9 : 0) + shape.polygons.reduce((sum, p) => sum + polygon(p), 0);
  }
}

function writeShape(writer: WkbWriter, shape: Shape, forceMulti: boolean): void {
  switch (shape.kind) {
    case 'point':
      writer.header(WKB_POINT);
      writer.position(shape.position);
      return;
    case 'multipoint':
      writer.header(WKB_MULTIPOINT, shape.positions.length);
      for (const position of shape.positions) {
        writer.header(WKB_POINT);
        writer.position(position);
      }
      return;
    case 'lines':
      if (shape.lines.length > 1 || forceMulti) writer.header(WKB_MULTILINESTRING, shape.lines.length);
      for (const line of shape.lines) {
        writer.header(WKB_LINESTRING, line.length);
        for (const position of line) writer.position(position);
      }
      return;
    case 'polygons':
      if (shape.polygons.length > 1 || forceMulti) writer.header(WKB_MULTIPOLYGON, shape.polygons.length);
      for (const rings of shape.polygons) {
        writer.header(WKB_POLYGON, rings.length);
        for (const ring of rings) {
          writer.count(ring.length);
          for (const position of ring) writer.position(position);
        }
      }
  }
}

class WkbWriter {
  private offset = 0;
  private readonly typeOffset: number;

  constructor(
    readonly buffer: Buffer,
    private readonly input: Dims,
    private readonly output: Dims,
  ) {
    this.typeOffset = (output.hasZ ? 1000 : 0) + (output.hasM ? 2000 : 0);
  }

  header(type: number, count?: number): void {
    this.offset = this.buffer.writeUInt8(1, this.offset);
    this.offset = this.buffer.writeUInt32LE(type + this.typeOffset, this.offset);
    if (count !== undefined) this.count(count);
  }

  count(count: number): void {
    this.offset = this.buffer.writeUInt32LE(count, this.offset);
  }

  position(position: Position): void {
    this.offset = this.buffer.writeDoubleLE(position[0], this.offset);
    this.offset = this.buffer.writeDoubleLE(position[1], this.offset);
    if (this.output.hasZ) this.offset = this.buffer.writeDoubleLE(zOf(position, this.input), this.offset);
    if (this.output.hasM) this.offset = this.buffer.writeDoubleLE(mOf(position, this.input), this.offset);
  }
}
