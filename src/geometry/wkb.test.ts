import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EsriGeometry, GeometryType, Position } from './esri-geometry.js';
import { isClockwise } from './rings.js';
import { esriToWkb, wkbToEsri } from './wkb.js';

// Esri winding: exterior clockwise, hole counter-clockwise.
const square: Position[] = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]];
const squareCcw: Position[] = [...square].reverse();
const hole: Position[] = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]];
const holeCw: Position[] = [...hole].reverse();
const island: Position[] = [[2.5, 2.5], [2.5, 3.5], [3.5, 3.5], [3.5, 2.5], [2.5, 2.5]];
const farSquare: Position[] = [[20, 0], [20, 5], [25, 5], [25, 0], [20, 0]];

interface Case {
  name: string;
  input: EsriGeometry;
  type: GeometryType;
  wkt: string;
  output: EsriGeometry;
}

const cases: Case[] = [
  { name: 'point', input: { x: 1, y: 2 }, type: 'esriGeometryPoint', wkt: 'POINT(1 2)', output: { x: 1, y: 2 } },
  {
    name: 'point z',
    input: { x: 1, y: 2, z: 3 },
    type: 'esriGeometryPoint',
    wkt: 'POINT Z(1 2 3)',
    output: { x: 1, y: 2, z: 3, hasZ: true },
  },
  {
    name: 'multipoint',
    input: { points: [[1, 2], [3, 4]] },
    type: 'esriGeometryMultipoint',
    wkt: 'MULTIPOINT(1 2, 3 4)',
    output: { points: [[1, 2], [3, 4]] },
  },
  {
    name: 'one path',
    input: { paths: [[[0, 0], [1, 1], [2, 0]]] },
    type: 'esriGeometryPolyline',
    wkt: 'LINESTRING(0 0, 1 1, 2 0)',
    output: { paths: [[[0, 0], [1, 1], [2, 0]]] },
  },
  {
    name: 'two paths with m',
    input: { hasM: true, paths: [[[0, 0, 5], [1, 1, 6]], [[3, 3, 7], [4, 4, 8]]] },
    type: 'esriGeometryPolyline',
    wkt: 'MULTILINESTRING M((0 0 5, 1 1 6), (3 3 7, 4 4 8))',
    output: { hasM: true, paths: [[[0, 0, 5], [1, 1, 6]], [[3, 3, 7], [4, 4, 8]]] },
  },
  {
    name: 'polygon (written counter-clockwise, read back clockwise)',
    input: { rings: [square] },
    type: 'esriGeometryPolygon',
    wkt: 'POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))',
    output: { rings: [square] },
  },
  {
    name: 'polygon with a hole',
    input: { rings: [square, hole] },
    type: 'esriGeometryPolygon',
    wkt: 'POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))',
    output: { rings: [square, hole] },
  },
  {
    name: 'hole in the wrong winding and listed first',
    input: { rings: [holeCw, squareCcw] },
    type: 'esriGeometryPolygon',
    wkt: 'POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))',
    output: { rings: [square, hole] },
  },
  {
    name: 'two exteriors, one with a hole',
    input: { rings: [square, farSquare, hole] },
    type: 'esriGeometryPolygon',
    wkt: 'MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2)), ((20 0, 25 0, 25 5, 20 5, 20 0)))',
    output: { rings: [square, hole, farSquare] },
  },
  {
    name: 'island inside a hole',
    input: { rings: [square, hole, island] },
    type: 'esriGeometryPolygon',
    wkt: 'MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2)), ((2.5 2.5, 3.5 2.5, 3.5 3.5, 2.5 3.5, 2.5 2.5)))',
    output: { rings: [square, hole, island] },
  },
  {
    name: 'polygon z',
    input: { hasZ: true, rings: [[[0, 0, 1], [0, 1, 2], [1, 1, 3], [0, 0, 1]]] },
    type: 'esriGeometryPolygon',
    wkt: 'POLYGON Z((0 0 1, 1 1 3, 0 1 2, 0 0 1))',
    output: { hasZ: true, rings: [[[0, 0, 1], [0, 1, 2], [1, 1, 3], [0, 0, 1]]] },
  },
  {
    name: 'envelope becomes a polygon',
    input: { xmin: 0, ymin: 0, xmax: 10, ymax: 10 },
    type: 'esriGeometryPolygon',
    wkt: 'POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))',
    output: { rings: [square] },
  },
];

describe('esriToWkb → SpatiaLite → wkbToEsri', () => {
  let db: Database.Database;
  beforeAll(() => {
    db = new Database(':memory:');
    db.loadExtension('mod_spatialite');
    db.prepare('SELECT InitSpatialMetadata(1)').get();
    db.exec('CREATE TABLE shapes (id INTEGER PRIMARY KEY, geom BLOB)');
  });
  afterAll(() => db.close());

  it.each(cases)('$name', ({ input, type, wkt, output }) => {
    const { lastInsertRowid } = db.prepare('INSERT INTO shapes (geom) VALUES (GeomFromWKB(?, 4326))').run(esriToWkb(input));
    const row = db
      .prepare('SELECT AsText(geom) AS wkt, ST_IsValid(geom) AS valid, AsBinary(geom) AS wkb, ST_Srid(geom) AS srid FROM shapes WHERE id = ?')
      .get(lastInsertRowid) as { wkt: string; valid: number; wkb: Buffer; srid: number };
    expect(row).toMatchObject({ wkt, valid: 1, srid: 4326 });
    expect(wkbToEsri(row.wkb, type)).toEqual(output);
  });

  it('writes MULTIPOLYGON for a typed column when asked', () => {
    db.prepare("SELECT AddGeometryColumn('shapes', 'parcel', 4326, 'MULTIPOLYGON', 'XY')").get();
    const wkb = esriToWkb({ rings: [square] }, { forceMulti: true });
    db.prepare('INSERT INTO shapes (parcel) VALUES (GeomFromWKB(?, 4326))').run(wkb);
    const row = db.prepare('SELECT AsText(parcel) AS wkt FROM shapes WHERE parcel IS NOT NULL').get();
    expect(row).toEqual({ wkt: 'MULTIPOLYGON(((0 0, 10 0, 10 10, 0 10, 0 0)))' });
  });

  it('adds the layer dimensions the geometry lacks (z = 0, m = NaN)', () => {
    const wkb = esriToWkb({ paths: [[[0, 0], [1, 1]]] }, { hasZ: true, hasM: true }) as Buffer;
    const back = wkbToEsri(wkb, 'esriGeometryPolyline') as { paths: Position[][] };
    expect(back.paths).toEqual([[[0, 0, 0, NaN], [1, 1, 0, NaN]]]);
  });
});

describe('esriToWkb', () => {
  it('writes ISO little-endian WKB', () => {
    expect(esriToWkb({ x: 1, y: 2 })?.toString('hex')).toBe('0101000000000000000000f03f0000000000000040');
    expect(esriToWkb({ x: 1, y: 2, z: 3 })?.readUInt32LE(1)).toBe(1001);
    expect(esriToWkb({ x: 1, y: 2, m: 3 })?.readUInt32LE(1)).toBe(2001);
    expect(esriToWkb({ paths: [[[0, 0, 1, 2], [1, 1, 1, 2]]] })?.readUInt32LE(1)).toBe(3002);
  });

  it('drops dimensions the layer does not have', () => {
    expect(esriToWkb({ x: 1, y: 2, z: 3 }, { hasZ: false })?.readUInt32LE(1)).toBe(1);
  });

  it.each<[EsriGeometry]>([[{ x: null }], [{ rings: [] }], [{ paths: [] }], [{ points: [] }], [{ xmin: null }]])(
    'returns null for empty %j',
    (geometry) => {
      expect(esriToWkb(geometry)).toBeNull();
    },
  );
});

describe('wkbToEsri', () => {
  it.each<[string, string, GeometryType | undefined, EsriGeometry | null]>([
    ['big-endian point', '00000000013ff00000000000004000000000000000', undefined, { x: 1, y: 2 }],
    ['EWKB point with SRID', '0101000020e6100000000000000000f03f0000000000000040', undefined, { x: 1, y: 2 }],
    ['EWKB point Z', '0101000080000000000000f03f00000000000000400000000000000840', undefined, { x: 1, y: 2, z: 3, hasZ: true }],
    ['empty point', '0101000000000000000000f87f000000000000f87f', 'esriGeometryPoint', null],
    ['point as multipoint', '0101000000000000000000f03f0000000000000040', 'esriGeometryMultipoint', { points: [[1, 2]] }],
    ['point as envelope', '0101000000000000000000f03f0000000000000040', 'esriGeometryEnvelope', { xmin: 1, ymin: 2, xmax: 1, ymax: 2 }],
    ['empty collection', '010700000000000000', undefined, null],
  ])('%s', (_name, hex, type, expected) => {
    expect(wkbToEsri(Buffer.from(hex, 'hex'), type)).toEqual(expected);
  });

  it('drops z when the response does not ask for it', () => {
    const wkb = esriToWkb({ x: 1, y: 2, z: 3 }) as Buffer;
    expect(wkbToEsri(wkb, 'esriGeometryPoint', { hasZ: false })).toEqual({ x: 1, y: 2 });
  });

  it.each<[string, string, string]>([
    ['truncated', '01010000000000', 'Invalid WKB: truncated geometry'],
    ['unknown type', '0109000000', 'Unsupported WKB geometry type 9'],
  ])('rejects %s', (_name, hex, message) => {
    expect(() => wkbToEsri(Buffer.from(hex, 'hex'))).toThrowError(message);
  });

  it('rejects a stored line read as a point', () => {
    const wkb = esriToWkb({ paths: [[[0, 0], [1, 1]]] }) as Buffer;
    expect(() => wkbToEsri(wkb, 'esriGeometryPoint')).toThrowError('Stored geometry does not match esriGeometryPoint');
  });

  it('decodes 1,000 polygons of 50 vertices (the speed is in bench:hot-paths)', () => {
    const wkbs = Array.from({ length: 1000 }, (_, i) => esriToWkb({ rings: [circle(i * 10, 0, 4, 50)] }) as Buffer);
    const decoded = wkbs.map((wkb) => wkbToEsri(wkb, 'esriGeometryPolygon') as { rings: Position[][] });
    expect(decoded.every((g) => g.rings[0].length === 50 && isClockwise(g.rings[0]))).toBe(true);
  });
});

function circle(cx: number, cy: number, r: number, vertices: number): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < vertices - 1; i++) {
    const a = (-2 * Math.PI * i) / (vertices - 1);
    ring.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  ring.push([...ring[0]]);
  return ring;
}
