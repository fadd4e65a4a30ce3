import type { Dims } from './coordinate-dims.js';
import type { EsriGeometry, EsriPoint, GeometryType, Position } from './esri-geometry.js';
import { GeometryError } from './geometry-error.js';
import { orientRing } from './rings.js';

export interface WkbReadOptions {
  /** Dimensions wanted in the output (the response's returnZ/returnM); default: the WKB's own. */
  hasZ?: boolean;
  hasM?: boolean;
}

/** Parts of any WKB, flattened by kind (collections are flattened too). */
interface Parts {
  points: Position[];
  lines: Position[][];
  polygons: Position[][][];
}

const EWKB_Z = 0x80000000;
const EWKB_M = 0x40000000;
const EWKB_SRID = 0x20000000;

/**
 * Decodes WKB (ISO, OGC 2D or PostGIS EWKB; either byte order) into Esri JSON of the given type,
 * or of the type the WKB implies. Polygon rings come out in Esri winding: exteriors clockwise,
 * holes counter-clockwise. A z missing from the WKB reads as 0, a missing m as NaN. Returns null
 * for an empty geometry.
 *
 * @example wkbToEsri(row.wkb, 'esriGeometryPolygon') // { rings: [[[0,0],[0,1],[1,1],[0,0]]] }
 */
export function wkbToEsri(wkb: Uint8Array, geometryType?: GeometryType, options: WkbReadOptions = {}): EsriGeometry | null {
  const reader = new WkbReader(wkb);
  const top = reader.peekHeader();
  const output: Dims = { hasZ: options.hasZ ?? top.hasZ, hasM: options.hasM ?? top.hasM };
  const parts: Parts = { points: [], lines: [], polygons: [] };
  reader.readGeometry(parts, output);
  const type = geometryType ?? impliedType(top.base, parts);
  const geometry = assemble(type, parts, output);
  if (geometry === null) return null;
  if (output.hasZ) geometry.hasZ = true;
  if (output.hasM) geometry.hasM = true;
  return geometry;
}

function impliedType(base: number, parts: Parts): GeometryType {
  if (base === 1) return 'esriGeometryPoint';
  if (base === 4) return 'esriGeometryMultipoint';
  if (base === 2 || base === 5) return 'esriGeometryPolyline';
  if (base === 3 || base === 6 || parts.polygons.length > 0) return 'esriGeometryPolygon';
  return parts.lines.length > 0 ? 'esriGeometryPolyline' : 'esriGeometryMultipoint';
}

function assemble(type: GeometryType, parts: Parts, output: Dims): EsriGeometry | null {
  const { points, lines, polygons } = parts;
  const mismatch = (): GeometryError => new GeometryError(`Stored geometry does not match ${type}`);
  switch (type) {
    case 'esriGeometryPoint': {
      if (lines.length > 0 || polygons.length > 0 || points.length > 1) throw mismatch();
      const p = points[0];
      if (p === undefined) return null;
      const point: EsriPoint = { x: p[0], y: p[1] };
      if (output.hasZ) point.z = p[2];
      if (output.hasM) point.m = p[output.hasZ ? 3 : 2];
      return point;
    }
    case 'esriGeometryMultipoint':
      if (lines.length > 0 || polygons.length > 0) throw mismatch();
      return points.length === 0 ? null : { points };
    case 'esriGeometryPolyline':
      if (points.length > 0 || polygons.length > 0) throw mismatch();
      return lines.length === 0 ? null : { paths: lines };
    case 'esriGeometryPolygon': {
      if (points.length > 0 || lines.length > 0) throw mismatch();
      const rings = polygons.flatMap((polygon) => polygon.map((ring, i) => orientRing(ring, i === 0)));
      return rings.length === 0 ? null : { rings };
    }
    case 'esriGeometryEnvelope':
      return envelopeOfParts(parts);
  }
}

function envelopeOfParts({ points, lines, polygons }: Parts): EsriGeometry | null {
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  const visit = (p: Position): void => {
    if (p[0] < xmin) xmin = p[0];
    if (p[0] > xmax) xmax = p[0];
    if (p[1] < ymin) ymin = p[1];
    if (p[1] > ymax) ymax = p[1];
  };
  points.forEach(visit);
  lines.forEach((line) => line.forEach(visit));
  polygons.forEach((polygon) => polygon.forEach((ring) => ring.forEach(visit)));
  return xmin === Infinity ? null : { xmin, ymin, xmax, ymax };
}

interface Header {
  base: number;
  hasZ: boolean;
  hasM: boolean;
}

class WkbReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  peekHeader(): Header {
    const start = this.offset;
    const { header } = this.guard(() => this.readHeader());
    this.offset = start;
    return header;
  }

  readGeometry(parts: Parts, output: Dims): void {
    this.guard(() => this.readInto(parts, output));
  }

  private guard<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof RangeError) throw new GeometryError('Invalid WKB: truncated geometry');
      throw error;
    }
  }

  private readHeader(): { header: Header; little: boolean } {
    const little = this.view.getUint8(this.offset) === 1;
    const code = this.view.getUint32(this.offset + 1, little);
    this.offset += 5;
    if ((code & EWKB_SRID) !== 0) this.offset += 4;
    const iso = code & 0x0fffffff;
    const isoDims = Math.floor(iso / 1000);
    const header = {
      base: iso % 1000,
      hasZ: (code & EWKB_Z) !== 0 || isoDims === 1 || isoDims === 3,
      hasM: (code & EWKB_M) !== 0 || isoDims === 2 || isoDims === 3,
    };
    return { header, little };
  }

  private readInto(parts: Parts, output: Dims): void {
    const { header, little } = this.readHeader();
    switch (header.base) {
      case 1: {
        const position = this.readPosition(header, little, output);
        if (!Number.isNaN(position[0])) parts.points.push(position);
        return;
      }
      case 2: {
        const line = this.readPositions(header, little, output);
        if (line.length > 0) parts.lines.push(line);
        return;
      }
      case 3: {
        const rings = this.readRings(header, little, output);
        if (rings.length > 0) parts.polygons.push(rings);
        return;
      }
      case 4:
      case 5:
      case 6:
      case 7: {
        const count = this.readCount(little);
        for (let i = 0; i < count; i++) this.readInto(parts, output);
        return;
      }
      default:
        throw new GeometryError(`Unsupported WKB geometry type ${header.base}`);
    }
  }

  private readCount(little: boolean): number {
    const count = this.view.getUint32(this.offset, little);
    this.offset += 4;
    return count;
  }

  private readRings(header: Header, little: boolean, output: Dims): Position[][] {
    const count = this.readCount(little);
    const rings: Position[][] = [];
    for (let i = 0; i < count; i++) {
      const ring = this.readPositions(header, little, output);
      if (ring.length > 0) rings.push(ring);
    }
    return rings;
  }

  private readPositions(header: Header, little: boolean, output: Dims): Position[] {
    const count = this.readCount(little);
    const positions = new Array<Position>(count);
    for (let i = 0; i < count; i++) positions[i] = this.readPosition(header, little, output);
    return positions;
  }

  private readPosition(header: Header, little: boolean, output: Dims): Position {
    const view = this.view;
    let offset = this.offset;
    const x = view.getFloat64(offset, little);
    const y = view.getFloat64(offset + 8, little);
    offset += 16;
    let z = 0;
    let m = NaN;
    if (header.hasZ) {
      z = view.getFloat64(offset, little);
      offset += 8;
    }
    if (header.hasM) {
      m = view.getFloat64(offset, little);
      offset += 8;
    }
    this.offset = offset;
    if (output.hasZ) return output.hasM ? [x, y, z, m] : [x, y, z];
    return output.hasM ? [x, y, m] : [x, y];
  }
}
