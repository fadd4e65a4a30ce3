import { describe, expect, it } from 'vitest';
import type { EsriGeometry, Position } from '../../../geometry/esri-geometry.js';
import { decodeFeatureCollectionPbf, type DecodedFeatureSet } from './decode-feature-collection-pbf.js';
import { encodeFeatureCollectionPbf, type PbfEncodeOptions, type PbfFeatureSet, type PbfField } from './encode-feature-collection-pbf.js';

const fields: PbfField[] = [
  { name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID' },
  { name: 'NAME', type: 'esriFieldTypeString', alias: 'Name', length: 50 },
  { name: 'POP', type: 'esriFieldTypeInteger', alias: 'Population' },
  { name: 'CODE', type: 'esriFieldTypeSmallInteger', alias: 'Code' },
  { name: 'AREA', type: 'esriFieldTypeDouble', alias: 'Area' },
  { name: 'RATIO', type: 'esriFieldTypeSingle', alias: 'Ratio' },
  { name: 'SEEN', type: 'esriFieldTypeDate', alias: 'Seen', length: 8 },
  { name: 'BIG', type: 'esriFieldTypeBigInteger', alias: 'Big' },
  { name: 'GlobalID', type: 'esriFieldTypeGlobalID', alias: 'GlobalID', length: 38 },
];

const attributeRows: Record<string, unknown>[] = [
  {
    OBJECTID: 1,
    NAME: 'Well 4',
    POP: -1200,
    CODE: 7,
    AREA: 1234.5678,
    RATIO: 0.25,
    SEEN: Date.UTC(2024, 2, 1, 10),
    BIG: 9007199254740991,
    GlobalID: '{74100804-E229-49B8-8CDC-9B5D3EF03EDA}',
  },
  { OBJECTID: 2, NAME: null, POP: null, CODE: null, AREA: null, RATIO: null, SEEN: null, BIG: null, GlobalID: null },
  { OBJECTID: 4294967301, NAME: 'Ünïcödé ✓', POP: 2147483647, CODE: -32768, AREA: -0.1, RATIO: 3, SEEN: 0, BIG: -42, GlobalID: '{00000000-0000-0000-0000-000000000000}' },
];

function featureSet(geometryType: PbfFeatureSet['geometryType'], geometries: (EsriGeometry | null)[], extra: Partial<PbfFeatureSet> = {}): PbfFeatureSet {
  return {
    objectIdFieldName: 'OBJECTID',
    globalIdFieldName: 'GlobalID',
    geometryType,
    spatialReference: { wkid: 102100, latestWkid: 3857 },
    fields,
    features: geometries.map((geometry, i) => ({ attributes: attributeRows[i % attributeRows.length], geometry })),
    exceededTransferLimit: false,
    ...extra,
  };
}

function roundTrip(set: PbfFeatureSet, options?: PbfEncodeOptions): DecodedFeatureSet {
  const decoded = decodeFeatureCollectionPbf(encodeFeatureCollectionPbf(set, options));
  expect(decoded.version).toBe('1');
  return decoded.queryResult as DecodedFeatureSet;
}

/** Replaces every coordinate by its rounding to `digits` decimals so grids compare exactly. */
function rounded(geometry: EsriGeometry | undefined | null, digits: number): unknown {
  const round = (n: number): number => Number(n.toFixed(digits));
  return JSON.parse(JSON.stringify(geometry ?? null), (_key, value: unknown) => (typeof value === 'number' ? round(value) : value)) as unknown;
}

const square: Position[] = [[-13630000, 4540000], [-13630000, 4550000], [-13620000, 4550000], [-13620000, 4540000], [-13630000, 4540000]];
const hole: Position[] = [[-13628000.25, 4542000.5], [-13622000.125, 4542000.5], [-13622000.125, 4548000.75], [-13628000.25, 4548000.75], [-13628000.25, 4542000.5]];
const far: Position[] = [[-13600000, 4500000], [-13600000, 4510000], [-13590000, 4510000], [-13590000, 4500000], [-13600000, 4500000]];

describe('encodeFeatureCollectionPbf without quantization parameters', () => {
  it.each<[string, PbfFeatureSet['geometryType'], (EsriGeometry | null)[]]>([
    ['points', 'esriGeometryPoint', [{ x: -13625000.123456, y: 4545000.654321 }, { x: -13620000, y: 4540000 }, { x: -13629999.999, y: 4549999.001 }]],
    ['lines', 'esriGeometryPolyline', [{ paths: [[[-13630000, 4540000], [-13625000.5, 4545000.25], [-13620000, 4541000]], [[-13629000, 4549000], [-13628000, 4548000]]] }]],
    ['polygons with holes and parts', 'esriGeometryPolygon', [{ rings: [square, hole] }, { rings: [square, hole, far] }]],
    ['multipoints', 'esriGeometryMultipoint', [{ points: [[-13630000, 4540000], [-13630000, 4540000], [-13625000.5, 4545000.25]] }]],
    ['null and empty geometries', 'esriGeometryPolygon', [null, { rings: [] }, { rings: [square] }]],
  ])('round-trips %s to a millimetre or better', (_name, geometryType, geometries) => {
    const decoded = roundTrip(featureSet(geometryType, geometries));
    expect(decoded.geometryType).toBe(geometryType);
    expect(decoded.transform?.originPosition).toBe('upperLeft');
    expect(decoded.features.map((f) => rounded(f.geometry, 3))).toEqual(
      geometries.map((g) => (g === null || ('rings' in g && g.rings.length === 0) ? null : rounded(g, 3))),
    );
  });

  it('keeps attributes of every type, with nulls', () => {
    const decoded = roundTrip(featureSet('esriGeometryPoint', [{ x: 1, y: 2 }, { x: 3, y: 4 }, null]));
    expect(decoded.features.map((f) => f.attributes)).toEqual(attributeRows);
  });

  it('writes the header of the feature set', () => {
    const set = featureSet('esriGeometryPoint', [{ x: 1, y: 2 }], {
      exceededTransferLimit: true,
      geometryProperties: { shapeAreaFieldName: 'Shape__Area', units: 'esriMeters' },
    });
    const decoded = roundTrip(set);
    expect(decoded).toMatchObject({
      objectIdFieldName: 'OBJECTID',
      uniqueIdField: { name: 'OBJECTID', isSystemMaintained: true },
      globalIdFieldName: 'GlobalID',
      spatialReference: { wkid: 102100, latestWkid: 3857 },
      exceededTransferLimit: true,
      hasZ: false,
      hasM: false,
    });
    expect(decoded.fields).toEqual(fields.map(({ name, type, alias }) => ({ name, type, alias, sqlType: 'sqlTypeOther' })));
  });

  it('writes domains and default values of fields', () => {
    const domain = { type: 'codedValue', name: 'StatusDom', codedValues: [{ name: 'Open', code: 0 }] };
    const decoded = roundTrip({
      objectIdFieldName: 'OBJECTID',
      fields: [{ name: 'STATUS', type: 'esriFieldTypeSmallInteger', alias: 'Status', sqlType: 'sqlTypeSmallInt', domain, defaultValue: 0 }],
      features: [{ attributes: { STATUS: 0 } }],
    });
    expect(decoded.fields).toEqual([{ name: 'STATUS', type: 'esriFieldTypeSmallInteger', alias: 'Status', sqlType: 'sqlTypeSmallInt', domain, defaultValue: '0' }]);
    expect(decoded.features).toEqual([{ attributes: { STATUS: 0 } }]);
  });

  it('carries z and m', () => {
    const geometries: EsriGeometry[] = [{ paths: [[[0, 0, 10.5, 1], [1, 1, 20.25, 2]], [[5, 5, -3, 3], [6, 6, 0, 4]]] }];
    const decoded = roundTrip(featureSet('esriGeometryPolyline', geometries, { hasZ: true, hasM: true }));
    expect(rounded(decoded.features[0].geometry, 6)).toEqual(geometries[0]);
  });

  it('carries point z and m', () => {
    const decoded = roundTrip(featureSet('esriGeometryPoint', [{ x: 1, y: 2, z: 3, m: 4 }, { x: 5, y: 6, z: 7, m: 8 }], { hasZ: true, hasM: true }));
    expect(decoded.features.map((f) => rounded(f.geometry, 6))).toEqual([{ x: 1, y: 2, z: 3, m: 4 }, { x: 5, y: 6, z: 7, m: 8 }]);
  });

  it('keeps full precision across a whole-world geographic extent', () => {
    const geometries: EsriGeometry[] = [{ x: -179.123456789, y: -89.987654321 }, { x: 179.999999999, y: 89.5 }, { x: 0.000000001, y: 0 }];
    const decoded = roundTrip(featureSet('esriGeometryPoint', geometries, { spatialReference: { wkid: 4326 } }));
    const scale = decoded.transform?.scale.x as number;
    expect(scale).toBeLessThan(2e-7);
    decoded.features.forEach((f, i) => {
      const [got, want] = [f.geometry as { x: number; y: number }, geometries[i] as { x: number; y: number }];
      expect(Math.abs(got.x - want.x)).toBeLessThanOrEqual(scale / 2 + 1e-12);
      expect(Math.abs(got.y - want.y)).toBeLessThanOrEqual(scale / 2 + 1e-12);
    });
  });

  it('writes a table without geometry type or transform', () => {
    const decoded = roundTrip(featureSet(undefined, [null, null]));
    expect(decoded.geometryType).toBeUndefined();
    expect(decoded.transform).toBeUndefined();
    expect(decoded.features.map((f) => f.attributes)).toEqual(attributeRows.slice(0, 2));
  });

  it('sends an envelope layer as polygons', () => {
    const decoded = roundTrip(featureSet('esriGeometryEnvelope', [{ xmin: 0, ymin: 0, xmax: 2, ymax: 1 }]));
    expect(decoded.geometryType).toBe('esriGeometryPolygon');
    expect(rounded(decoded.features[0].geometry, 6)).toEqual({ rings: [[[0, 0], [0, 1], [2, 1], [2, 0], [0, 0]]] });
  });
});

describe('encodeFeatureCollectionPbf with quantization parameters', () => {
  const extent = { xmin: 0, ymin: 0, xmax: 1000, ymax: 1000 };

  it('puts points on the requested grid, y running down from the upper-left corner', () => {
    const decoded = roundTrip(featureSet('esriGeometryPoint', [{ x: 10.4, y: 989.6 }]), {
      quantizationParameters: { mode: 'view', originPosition: 'upperLeft', tolerance: 2, extent },
    });
    expect(decoded.transform).toEqual({
      originPosition: 'upperLeft',
      scale: { x: 2, y: 2, z: 1, m: 1 },
      translate: { x: 0, y: 1000, z: 0, m: 0 },
    });
    expect(decoded.features[0].geometry).toEqual({ x: 10, y: 990 });
  });

  it('encodes the published README polygon example exactly (lower-left origin, per-part deltas)', () => {
    const ring = (x: number, y: number): Position[] => [[x, y], [x + 2, y], [x + 2, y + 2], [x, y + 2], [x, y]];
    const bytes = encodeFeatureCollectionPbf(featureSet('esriGeometryPolygon', [{ rings: [ring(256, 256), ring(56, 56)] }]), {
      quantizationParameters: { mode: 'edit', originPosition: 'lowerLeft', tolerance: 1, extent: { xmin: 0, ymin: 0, xmax: 512, ymax: 512 } },
    });
    expect(readRawGeometry(bytes)).toEqual({
      lengths: [5, 5],
      coords: [256, 256, 2, 0, 0, 2, -2, 0, 0, -2, 56, 56, 2, 0, 0, 2, -2, 0, 0, -2],
    });
  });

  it.each<[string, 'view' | 'edit', EsriGeometry, EsriGeometry | undefined]>([
    [
      'view mode drops vertices on the same cell',
      'view',
      { paths: [[[0, 1000], [0.4, 999.7], [10, 990], [10.2, 990.1], [20, 1000]]] },
      { paths: [[[0, 1000], [10, 990], [20, 1000]]] },
    ],
    [
      'edit mode keeps them',
      'edit',
      { paths: [[[0, 1000], [0.4, 999.7], [10, 990]]] },
      { paths: [[[0, 1000], [0, 1000], [10, 990]]] },
    ],
    [
      'view mode drops a ring that collapses to a cell',
      'view',
      { rings: [[[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]], [[50, 50], [50.2, 50], [50.2, 50.2], [50, 50]]] },
      { rings: [[[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]]] },
    ],
    ['view mode drops a geometry with nothing left', 'view', { paths: [[[5, 5], [5.1, 5.1]]] }, undefined],
  ])('%s', (_name, mode, geometry, expected) => {
    const type = 'paths' in geometry ? 'esriGeometryPolyline' : 'esriGeometryPolygon';
    const decoded = roundTrip(featureSet(type, [geometry]), { quantizationParameters: { mode, tolerance: 1, extent } });
    expect(decoded.features[0].geometry).toEqual(expected);
  });

  it('refuses a grid too fine for the data', () => {
    const set = featureSet('esriGeometryPoint', [{ x: 1e7, y: 0 }]);
    expect(() => encodeFeatureCollectionPbf(set, { quantizationParameters: { tolerance: 1e-6, extent } })).toThrowError(RangeError);
  });
});

describe('encodeFeatureCollectionPbf count and ids results', () => {
  it.each([
    [{ count: 0 }],
    [{ count: 42 }],
    [{ count: 5_000_000_000 }],
    [{ objectIdFieldName: 'OBJECTID', objectIds: [1, 3, 8, 4294967301] }],
    [{ objectIdFieldName: 'FID', objectIds: [] }],
  ])('%j', (result) => {
    expect(decodeFeatureCollectionPbf(encodeFeatureCollectionPbf(result))).toEqual({ version: '1', queryResult: result });
  });
});

/** The first feature's raw Geometry message, read by hand from the wire format. */
function readRawGeometry(bytes: Uint8Array): { lengths: number[]; coords: number[] } {
  const field = (buf: Uint8Array, wanted: number): Uint8Array => {
    let pos = 0;
    const varint = (): number => {
      let result = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = buf[pos++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
      return result;
    };
    while (pos < buf.length) {
      const key = varint();
      const wire = key % 8;
      if (wire === 0) varint();
      else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else {
        const length = varint();
        if (key >>> 3 === wanted) return buf.subarray(pos, pos + length);
        pos += length;
      }
    }
    throw new Error(`field ${wanted} not found`);
  };
  const packed = (buf: Uint8Array, signed: boolean): number[] => {
    const values: number[] = [];
    let pos = 0;
    while (pos < buf.length) {
      let result = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = buf[pos++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
      values.push(signed ? (result % 2 === 1 ? -(result + 1) / 2 : result / 2) : result);
    }
    return values;
  };
  const geometry = field(field(field(field(bytes, 2), 1), 15), 2);
  return { lengths: packed(field(geometry, 2), false), coords: packed(field(geometry, 3), true) };
}
