import type { EsriGeometry, GeometryType } from '../../geometry/esri-geometry.js';
import { wkbToEsri } from '../../geometry/wkb.js';

export interface GeometryOutput {
  /** One WKB value per row, or x and y numbers in two columns (2-D points). */
  format: 'wkb' | 'xy';
  geometryType: GeometryType;
  hasZ: boolean;
  hasM: boolean;
  /** Decimal places to keep (geometryPrecision). */
  precision?: number;
}

/** The geometry at `at` of a row as Esri JSON of the layer's type, without per-geometry SR or dim flags. */
export function decodeGeometry(row: unknown[], at: number, output: GeometryOutput): EsriGeometry | null {
  if (output.format === 'xy') {
    const x = row[at];
    const y = row[at + 1];
    if (typeof x !== 'number' || typeof y !== 'number') return null;
    return output.precision === undefined ? { x, y } : { x: roundTo(x, output.precision), y: roundTo(y, output.precision) };
  }
  const wkb = row[at];
  if (!(wkb instanceof Uint8Array)) return null;
  const geometry = wkbToEsri(wkb, output.geometryType, { hasZ: output.hasZ, hasM: output.hasM });
  if (geometry === null) return null;
  delete geometry.hasZ;
  delete geometry.hasM;
  if (output.precision !== undefined) roundGeometry(geometry, 10 ** output.precision);
  return geometry;
}

function roundTo(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

/**
 * The geometry at `at` of a row as JSON text. 2-D points, the bulk of most layers, come as x/y
 * numbers or are read straight from the WKB bytes (byte order, type 1, x, y), without objects.
 */
export function geometryJson(row: unknown[], at: number, output: GeometryOutput): string {
  if (output.format === 'xy') {
    let x = row[at];
    let y = row[at + 1];
    if (typeof x !== 'number' || typeof y !== 'number') return 'null';
    if (output.precision !== undefined) {
      x = roundTo(x, output.precision);
      y = roundTo(y, output.precision);
    }
    return `{"x":${x as number},"y":${y as number}}`;
  }
  const wkb = row[at];
  if (!(wkb instanceof Uint8Array)) return 'null';
  if (output.geometryType === 'esriGeometryPoint' && !output.hasZ && !output.hasM && wkb.length === 21) {
    const view = new DataView(wkb.buffer, wkb.byteOffset, 21);
    const little = view.getUint8(0) === 1;
    if (view.getUint32(1, little) === 1) {
      let x = view.getFloat64(5, little);
      let y = view.getFloat64(13, little);
      if (Number.isNaN(x)) return 'null';
      if (output.precision !== undefined) {
        x = roundTo(x, output.precision);
        y = roundTo(y, output.precision);
      }
      return `{"x":${x},"y":${y}}`;
    }
  }
  return JSON.stringify(decodeGeometry(row, at, output));
}

function roundGeometry(geometry: EsriGeometry, scale: number): void {
  const round = (v: number) => (Number.isFinite(v) ? Math.round(v * scale) / scale : v);
  const roundPositions = (positions: number[][]) => positions.forEach((p) => p.forEach((v, i) => (p[i] = round(v))));
  const g = geometry as unknown as Record<string, unknown>;
  for (const key of ['x', 'y', 'z', 'xmin', 'ymin', 'xmax', 'ymax']) if (typeof g[key] === 'number') g[key] = round(g[key] as number);
  if ('points' in geometry) roundPositions(geometry.points);
  if ('paths' in geometry) geometry.paths.forEach(roundPositions);
  if ('rings' in geometry) geometry.rings.forEach(roundPositions);
}
