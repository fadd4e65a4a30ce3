import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryFeatures } from '@esri/arcgis-rest-feature-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Position } from '../../../geometry/esri-geometry.js';
import { encodeFeatureCollectionPbf, type PbfFeatureSet } from './encode-feature-collection-pbf.js';

// Esri's own REST JS client (f=pbf-as-arcgis) decodes what we encode, served over real HTTP.
// It reads only x/y, always with an upper-left origin, and nests multi-ring polygons by winding.

let server: Server;
let body: Uint8Array = new Uint8Array();
let lastQuery: URLSearchParams | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    lastQuery = new URL(req.url ?? '/', 'http://localhost').searchParams;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function queryWithRestJs(set: PbfFeatureSet): Promise<Record<string, unknown>> {
  body = encodeFeatureCollectionPbf(set);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/arcgis/rest/services/Demo/FeatureServer/0`;
  return (await queryFeatures({ url, f: 'pbf-as-arcgis', httpMethod: 'GET' } as never)) as unknown as Record<string, unknown>;
}

const round = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(4)) : v)) as unknown;

const fields = [
  { name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID' },
  { name: 'NAME', type: 'esriFieldTypeString', alias: 'Name' },
  { name: 'SEEN', type: 'esriFieldTypeDate', alias: 'Seen' },
];

describe('ArcGIS REST JS reads our f=pbf', () => {
  it('points, attributes and the header', async () => {
    const response = await queryWithRestJs({
      objectIdFieldName: 'OBJECTID',
      geometryType: 'esriGeometryPoint',
      spatialReference: { wkid: 102100, latestWkid: 3857 },
      fields,
      features: [
        { attributes: { OBJECTID: 1, NAME: 'Well 4', SEEN: 1709287200000 }, geometry: { x: -13625000.25, y: 4545000.5 } },
        { attributes: { OBJECTID: 2, NAME: null, SEEN: null }, geometry: { x: -13620000, y: 4540000 } },
      ],
      exceededTransferLimit: true,
    });
    expect(lastQuery?.get('f')).toBe('pbf');
    expect(round(response)).toMatchObject({
      objectIdFieldName: 'OBJECTID',
      geometryType: 'esriGeometryPoint',
      spatialReference: { wkid: 102100, latestWkid: 3857 },
      exceededTransferLimit: true,
      fields: [
        { name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID' },
        { name: 'NAME', type: 'esriFieldTypeString', alias: 'Name' },
        { name: 'SEEN', type: 'esriFieldTypeDate', alias: 'Seen' },
      ],
      features: [
        { attributes: { OBJECTID: 1, NAME: 'Well 4', SEEN: 1709287200000 }, geometry: { x: -13625000.25, y: 4545000.5 } },
        { attributes: { OBJECTID: 2, NAME: null, SEEN: null }, geometry: { x: -13620000, y: 4540000 } },
      ],
    });
  });

  it('a polygon with a hole: the hole stays a hole', async () => {
    const exterior: Position[] = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]];
    const hole: Position[] = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]];
    const response = await queryWithRestJs({
      objectIdFieldName: 'OBJECTID',
      geometryType: 'esriGeometryPolygon',
      spatialReference: { wkid: 4326 },
      fields: fields.slice(0, 1),
      features: [
        { attributes: { OBJECTID: 1 }, geometry: { rings: [exterior, hole] } },
        { attributes: { OBJECTID: 2 }, geometry: { rings: [exterior] } },
      ],
    });
    const features = round(response.features) as { geometry: unknown }[];
    expect(features[0].geometry).toEqual({ rings: [[exterior, hole]] });
    expect(features[1].geometry).toEqual({ rings: [exterior] });
  });

  it('a line', async () => {
    const path: Position[] = [[-118.15, 33.8], [-118.1, 33.85], [-118.05, 33.8]];
    const response = await queryWithRestJs({
      objectIdFieldName: 'OBJECTID',
      geometryType: 'esriGeometryPolyline',
      spatialReference: { wkid: 4326 },
      fields: fields.slice(0, 1),
      features: [{ attributes: { OBJECTID: 1 }, geometry: { paths: [path] } }],
    });
    expect((round(response.features) as { geometry: unknown }[])[0].geometry).toEqual({ paths: [path] });
  });
});
