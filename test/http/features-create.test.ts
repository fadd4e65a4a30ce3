import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createService, POINT_FIELDS, query } from './features-helpers.js';
import { readJson, type CreatedService, type EditsAnswer, type ErrorEnvelope, type FolderJson, type Item, type LayerJson, type PublishAnswer, type ResourceJson, type ServiceJson, type SuccessAnswer } from '../helpers/answers.js';

const run = promisify(execFile);

let server: TestServer;
let token: string;
let work: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
  work = await mkdtemp(path.join(tmpdir(), 'tessera-features-'));
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

const PLACES = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'Alpha', rank: 1, area: 1.5, opened: '2020-03-04T05:06:07Z', tags: ['a', 'b'] }, geometry: { type: 'Point', coordinates: [10, 50] } },
    { type: 'Feature', properties: { name: 'Beta', rank: 2, area: 2.5, opened: null, tags: null }, geometry: { type: 'Point', coordinates: [11, 51] } },
    { type: 'Feature', properties: { name: 'Gamma', rank: 3, area: null, opened: null, tags: null }, geometry: null },
  ],
};

/** Uploads a file as a portal item with addItem (multipart), as clients do; returns the item id. */
async function addItem(file: string, type: string, owner = 'admin', ownerToken = token): Promise<string> {
  const form = new FormData();
  form.set('f', 'json');
  form.set('token', ownerToken);
  form.set('type', type);
  form.set('title', path.basename(file));
  form.set('file', new Blob([await readFile(file)]), path.basename(file));
  const response = await fetch(`${server.url}/sharing/rest/content/users/${owner}/addItem`, { method: 'POST', body: form });
  const body = await readJson<SuccessAnswer>(response);
  if (!body.success) throw new Error(`addItem failed: ${JSON.stringify(body)}`);
  return body.id!;
}

async function publish(itemId: string, filetype: string, publishParameters: Record<string, unknown>) {
  return server.post<PublishAnswer>('/sharing/rest/content/users/admin/publish', {
    f: 'json',
    token,
    itemId,
    filetype,
    publishParameters: JSON.stringify(publishParameters),
    outputType: 'featureService',
  });
}

describe('createService and addToDefinition', () => {
  it('creates a Feature Service item and an empty service in Hosted', async () => {
    const created = await server.post<CreatedService>('/sharing/rest/content/users/admin/createService', {
      f: 'json',
      token,
      outputType: 'featureService',
      createParameters: JSON.stringify({ name: 'empty one', capabilities: 'Query,Create', maxRecordCount: 500, spatialReference: { wkid: 102100 } }),
    });
    expect(created).toMatchObject({ success: true, name: 'empty_one', type: 'Feature Service', serviceurl: `${server.url}/rest/services/Hosted/empty_one/FeatureServer` });
    const item = await server.get<Item>(`/sharing/rest/content/items/${created.itemId}?f=json&token=${token}`);
    expect(item).toMatchObject({ type: 'Feature Service', owner: 'admin', url: created.serviceurl });
    const root = await server.get<ServiceJson>(`/rest/services/Hosted/empty_one/FeatureServer?f=json&token=${token}`);
    expect(root).toMatchObject({ capabilities: 'Create,Query,Editing', maxRecordCount: 500, layers: [], tables: [], spatialReference: { wkid: 102100, latestWkid: 3857 } });
    const folder = await server.get<FolderJson>(`/rest/services/Hosted?f=json&token=${token}`);
    expect(folder.services).toContainEqual({ name: 'Hosted/empty_one', type: 'FeatureServer' });
  });

  it('adds layers and tables with fields, OID and GlobalID', async () => {
    const url = await createService(server, token, 'defined', {
      layers: [{ name: 'Points', geometryType: 'esriGeometryPoint', fields: POINT_FIELDS, spatialReference: { wkid: 102100 } }],
      tables: [{ name: 'Owners', fields: [{ name: 'OWNER', type: 'esriFieldTypeString' }] }],
    });
    const root = await server.get<ServiceJson>(`${url}?f=json&token=${token}`);
    expect(root.layers).toEqual([{ id: 0, name: 'Points', parentLayerId: -1, defaultVisibility: true, subLayerIds: null, minScale: 0, maxScale: 0, geometryType: 'esriGeometryPoint' }]);
    expect(root.tables).toEqual([{ id: 1, name: 'Owners' }]);
    const table = await server.get<LayerJson>(`${url}/1?f=json&token=${token}`);
    expect(table).toMatchObject({ type: 'Table', geometryType: null, objectIdField: 'OBJECTID', globalIdField: '' });
  });

  it('refuses bad definitions with 400 and creates nothing', async () => {
    await server.post<CreatedService>('/sharing/rest/content/users/admin/createService', { f: 'json', token, createParameters: '{"name":"badlayers"}' });
    const bad = async (layer: unknown) =>
      (await server.post<ErrorEnvelope>('/rest/admin/services/Hosted/badlayers/FeatureServer/addToDefinition', { f: 'json', token, addToDefinition: JSON.stringify({ layers: [layer] }) })).error;
    expect((await bad({ name: 'x', geometryType: 'esriGeometryPoint', fields: [{ name: 'A', type: 'esriFieldTypeWhatever' }] })).code).toBe(400);
    expect((await bad({ name: 'x', geometryType: 'esriGeometryPoint', fields: [{ name: 'A', type: 'esriFieldTypeString' }, { name: 'a', type: 'esriFieldTypeString' }] })).code).toBe(400);
    expect((await bad({ name: 'x', geometryType: 'esriGeometryPoint', fields: [{ name: 'bad name;', type: 'esriFieldTypeString' }] })).code).toBe(400);
    expect((await bad({ name: 'x', geometryType: 'esriGeometryMultipatch' })).code).toBe(400);
    expect((await bad({ name: 'x', geometryType: 'esriGeometryPoint', extent: { xmin: 0, ymin: 0, xmax: 1, ymax: 1, spatialReference: { wkid: 123456 } } })).code).toBe(400);
    expect((await server.get<ServiceJson>(`/rest/services/Hosted/badlayers/FeatureServer?f=json&token=${token}`)).layers).toEqual([]);
    const duplicate = await server.post<CreatedService>('/sharing/rest/content/users/admin/createService', { f: 'json', token, createParameters: '{"name":"BADLAYERS"}' });
    expect(duplicate.error.code).toBe(400);
  });

  it('changes a definition: layer fields added and dropped, properties updated, layers deleted', async () => {
    const url = await createService(server, token, 'changing', {
      layers: [{ name: 'P', geometryType: 'esriGeometryPoint', fields: [{ name: 'A', type: 'esriFieldTypeString' }] }],
      tables: [{ name: 'T' }],
    });
    const admin = '/rest/admin/services/Hosted/changing/FeatureServer';
    expect(await server.post(`${admin}/0/addToDefinition`, { f: 'json', token, addToDefinition: '{"fields":[{"name":"B","type":"esriFieldTypeInteger"}]}' })).toEqual({ success: true });
    const added = await server.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', token, features: '[{"attributes":{"A":"x","B":7}}]' });
    expect(added.addResults[0].success).toBe(true);
    expect(await server.post(`${admin}/0/deleteFromDefinition`, { f: 'json', token, deleteFromDefinition: '{"fields":[{"name":"A"}]}' })).toEqual({ success: true });
    expect(await server.post(`${admin}/updateDefinition`, { f: 'json', token, updateDefinition: '{"description":"now","layers":[{"id":0,"name":"Renamed"}]}' })).toEqual({ success: true });
    const layer = await server.get<LayerJson>(`${url}/0?f=json&token=${token}`);
    expect(layer.name).toBe('Renamed');
    expect(layer.fields.map((f: { name: string }) => f.name)).toEqual(['OBJECTID', 'B']);
    expect((await query(server, `${url}/0/query`, { f: 'json', token, where: '1=1', outFields: '*' })).features[0].attributes).toEqual({ OBJECTID: 1, B: 7 });
    expect(await server.post(`${admin}/deleteFromDefinition`, { f: 'json', token, deleteFromDefinition: '{"tables":[{"id":1}]}' })).toEqual({ success: true });
    expect((await server.get<ServiceJson>(`${url}?f=json&token=${token}`)).tables).toEqual([]);
    const info = await server.get<ResourceJson>(`${admin}?f=json&token=${token}`);
    expect(info.adminServiceInfo).toMatchObject({ name: 'changing', type: 'FeatureServer' });
  });

  it('refuses createService without the publish privilege, for others, and anonymously', async () => {
    await server.addUser('plain', 'user');
    await server.addUser('pub', 'publisher');
    const plainToken = await server.token('plain', 'plain-pw');
    const pubToken = await server.token('pub', 'pub-pw');
    const create = (owner: string, t?: string) =>
      server.post<CreatedService>(`/sharing/rest/content/users/${owner}/createService`, { f: 'json', ...(t ? { token: t } : {}), createParameters: `{"name":"by_${owner}_${t ? t.slice(-4) : 'anon'}"}` });
    expect((await create('plain', plainToken)).error.code).toBe(403);
    expect((await create('admin', pubToken)).error.code).toBe(403);
    expect((await create('pub')).error.code).toBe(499);
    expect((await create('pub', pubToken)).success).toBe(true);
    // An administrator may create for someone else; the service is theirs.
    const forPub = await create('pub', token);
    expect(forPub.success).toBe(true);
    const addLayer = await server.post<SuccessAnswer>(`/rest/admin/services/Hosted/${forPub.name}/FeatureServer/addToDefinition`, { f: 'json', token: plainToken, addToDefinition: '{"layers":[]}' });
    expect(addLayer.error.code).toBe(403);
  });
});

describe('publish', () => {
  it('publishes an uploaded GeoJSON file', async () => {
    const file = path.join(work, 'places.geojson');
    await writeFile(file, JSON.stringify(PLACES));
    const published = await publish(await addItem(file, 'GeoJson'), 'geojson', { name: 'places_geojson' });
    expect(published.services[0]).toMatchObject({ type: 'Feature Service', status: 'completed', serviceurl: `${server.url}/rest/services/Hosted/places_geojson/FeatureServer` });
    const url = '/rest/services/Hosted/places_geojson/FeatureServer';
    const layer = await server.get<LayerJson>(`${url}/0?f=json&token=${token}`);
    expect(layer).toMatchObject({ geometryType: 'esriGeometryPoint', extent: { xmin: 10, ymin: 50, xmax: 11, ymax: 51, spatialReference: { wkid: 4326 } } });
    expect(layer.fields.map((f) => [f.name, f.type])).toEqual([
      ['OBJECTID', 'esriFieldTypeOID'],
      ['name', 'esriFieldTypeString'],
      ['rank', 'esriFieldTypeInteger'],
      ['area', 'esriFieldTypeDouble'],
      ['opened', 'esriFieldTypeDate'],
      ['tags', 'esriFieldTypeString'],
    ]);
    const result = await query(server, `${url}/0/query`, { f: 'json', token, where: '1=1', outFields: '*', orderByFields: 'rank' });
    expect(result.features.map((f) => f.attributes)).toEqual([
      { OBJECTID: 1, name: 'Alpha', rank: 1, area: 1.5, opened: Date.UTC(2020, 2, 4, 5, 6, 7), tags: '["a","b"]' },
      { OBJECTID: 2, name: 'Beta', rank: 2, area: 2.5, opened: null, tags: null },
      { OBJECTID: 3, name: 'Gamma', rank: 3, area: null, opened: null, tags: null },
    ]);
    expect(result.features[0].geometry).toEqual({ x: 10, y: 50 });
    expect(result.features[2].geometry).toBeNull();
  });

  it('publishes a CSV with coordinate columns, guessed or named', async () => {
    const file = path.join(work, 'stations.csv');
    await writeFile(file, 'id,station,longitude,latitude,reading\n1,North,5.5,45.25,12\n2,South,5.75,44.5,7.5\n3,Nowhere,,,\n');
    const itemId = await addItem(file, 'CSV');
    await publish(itemId, 'csv', { name: 'stations' });
    const result = await query(server, '/rest/services/Hosted/stations/FeatureServer/0/query', { f: 'json', token, where: 'reading > 8', outFields: '*' });
    expect(result.fields.map((f) => [f.name, f.type])).toEqual([
      ['OBJECTID', 'esriFieldTypeOID'],
      ['id', 'esriFieldTypeInteger'],
      ['station', 'esriFieldTypeString'],
      ['longitude', 'esriFieldTypeDouble'],
      ['latitude', 'esriFieldTypeDouble'],
      ['reading', 'esriFieldTypeDouble'],
    ]);
    expect(result.features).toEqual([{ attributes: { OBJECTID: 1, id: 1, station: 'North', longitude: 5.5, latitude: 45.25, reading: 12 }, geometry: { x: 5.5, y: 45.25 } }]);
    const named = path.join(work, 'named.csv');
    await writeFile(named, 'label,east,north\nA,1,2\n');
    await publish(await addItem(named, 'CSV'), 'csv', { name: 'named_xy', locationType: 'coordinates', longitudeFieldName: 'east', latitudeFieldName: 'north' });
    const point = await query(server, '/rest/services/Hosted/named_xy/FeatureServer/0/query', { f: 'json', token, where: '1=1' });
    expect(point.features[0].geometry).toEqual({ x: 1, y: 2 });
  });

  it('publishes a zipped Shapefile, keeping its projected SR', async () => {
    const geojson = path.join(work, 'parcels.geojson');
    await writeFile(
      geojson,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { parcel: 'P-1', value: 1000 }, geometry: { type: 'Polygon', coordinates: [[[3, 0], [3.01, 0], [3.01, 0.01], [3, 0.01], [3, 0]]] } }],
      }),
    );
    const zip = path.join(work, 'parcels.shp.zip');
    await run('ogr2ogr', ['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:32631', zip, geojson]);
    await publish(await addItem(zip, 'Shapefile'), 'shapefile', { name: 'parcels' });
    const url = '/rest/services/Hosted/parcels/FeatureServer/0';
    const layer = await server.get<ServiceJson>(`${url}?f=json&token=${token}`);
    expect(layer).toMatchObject({ geometryType: 'esriGeometryPolygon', sourceSpatialReference: { wkid: 32631 } });
    expect(layer.extent.xmin).toBeCloseTo(500000, 0);
    const inWgs84 = await query(server, `${url}/query`, { f: 'json', token, where: "parcel = 'P-1'", outSR: 4326, outFields: 'parcel,value' });
    expect(inWgs84.features[0].attributes).toEqual({ parcel: 'P-1', value: 1000 });
    const ring = inWgs84.features[0].geometry.rings[0];
    expect(Math.min(...ring.map((p: number[]) => p[0]))).toBeCloseTo(3, 6);
  });

  it('publishes every layer and table of a GeoPackage', async () => {
    const gpkg = path.join(work, 'network.gpkg');
    const roads = path.join(work, 'roads.geojson');
    const towns = path.join(work, 'towns.geojson');
    const notes = path.join(work, 'notes.csv');
    await writeFile(roads, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { ref: 'A1' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }] }));
    await writeFile(towns, JSON.stringify(PLACES));
    await writeFile(notes, 'note,n\nhello,1\n');
    await run('ogr2ogr', ['-f', 'GPKG', gpkg, roads, '-nln', 'roads']);
    await run('ogr2ogr', ['-f', 'GPKG', '-update', gpkg, towns, '-nln', 'towns']);
    await run('ogr2ogr', ['-f', 'GPKG', '-update', gpkg, notes, '-nln', 'notes']);
    await publish(await addItem(gpkg, 'GeoPackage'), 'geoPackage', { name: 'network' });
    const root = await server.get<ServiceJson>(`/rest/services/Hosted/network/FeatureServer?f=json&token=${token}`);
    expect(root.layers.map((l) => [l.name, l.geometryType])).toEqual([
      ['roads', 'esriGeometryPolyline'],
      ['towns', 'esriGeometryPoint'],
    ]);
    expect(root.tables.map((t) => t.name)).toEqual(['notes']);
    const note = await query(server, `/rest/services/Hosted/network/FeatureServer/${root.tables[0].id}/query`, { f: 'json', token, where: '1=1', outFields: 'note' });
    expect(note.features).toEqual([{ attributes: { note: 'hello' } }]);
  });

  it('refuses a file that is not what filetype says, leaving no service behind', async () => {
    const file = path.join(work, 'broken.geojson');
    await writeFile(file, 'this is not json');
    const result = await publish(await addItem(file, 'GeoJson'), 'geojson', { name: 'broken' });
    expect(result.error.code).toBe(400);
    expect((await server.get<ServiceJson>(`/rest/services/Hosted/broken/FeatureServer?f=json&token=${token}`)).error.code).toBe(404);
  });

  it('imports a file from the command line into the running server', async () => {
    const file = path.join(work, 'cli.geojson');
    await writeFile(file, JSON.stringify(PLACES));
    const cli = path.resolve('src/cli.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'import', file, '--service', 'from_cli', '--data', server.dataDir, '--public'], {
      env: { ...process.env, ...server.env, TESSERA_ADMIN_PASSWORD: 'x' },
    });
    expect(stdout).toMatch(/Imported .* as .*\/rest\/services\/Hosted\/from_cli\/FeatureServer/);
    const count = await query(server, '/rest/services/Hosted/from_cli/FeatureServer/0/query', { f: 'json', where: '1=1', returnCountOnly: true });
    expect(count).toEqual({ count: 3 });
  });
});

describe('deleting hosted services', () => {
  it('removes the service with its item (portal delete) and the data', async () => {
    const url = await createService(server, token, 'doomed', { layers: [{ name: 'P', geometryType: 'esriGeometryPoint', fields: [] }] });
    const itemId = (await server.get<ServiceJson>(`${url}?f=json&token=${token}`)).serviceItemId;
    expect(await server.post(`/sharing/rest/content/users/admin/items/${itemId}/delete`, { f: 'json', token })).toMatchObject({ success: true });
    expect((await server.get<ServiceJson>(`${url}?f=json&token=${token}`)).error.code).toBe(404);
    expect((await server.get<FolderJson>(`/rest/services/Hosted?f=json&token=${token}`)).services).not.toContainEqual({ name: 'Hosted/doomed', type: 'FeatureServer' });
  });

  it('removes the service and its item through the admin delete', async () => {
    const url = await createService(server, token, 'doomed2', { layers: [] });
    const itemId = (await server.get<ServiceJson>(`${url}?f=json&token=${token}`)).serviceItemId;
    expect(await server.post('/rest/admin/services/Hosted/doomed2.FeatureServer/delete', { f: 'json', token })).toEqual({ status: 'success' });
    expect((await server.get<ServiceJson>(`${url}?f=json&token=${token}`)).error.code).toBe(404);
    expect((await server.get<Item>(`/sharing/rest/content/items/${itemId}?f=json&token=${token}`)).error.code).toBe(404);
  });
});
