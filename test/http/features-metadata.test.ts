import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService, createService } from './features-helpers.js';
import type { FeatureSet, LayerJson, ServiceJson } from '../helpers/answers.js';

let server: TestServer;
let token: string;
let grid: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
  grid = await createGridService(server, token, 'meta', { serviceDescription: 'Grid of points', copyrightText: '© us' });
});
afterAll(async () => server.close());

describe('service root', () => {
  it('has the keys of spec §2', async () => {
    const root = await server.get<ServiceJson>(`${grid}?f=json&token=${token}`);
    expect(root).toMatchObject({
      currentVersion: 11.3,
      serviceDescription: 'Grid of points',
      hasVersionedData: false,
      supportsDisconnectedEditing: false,
      supportsReturnDeleteResults: true,
      hasStaticData: false,
      maxRecordCount: 2000,
      supportedQueryFormats: 'JSON, geoJSON, PBF',
      supportsRelationshipsResource: false,
      capabilities: 'Create,Delete,Query,Update,Editing',
      copyrightText: '© us',
      advancedEditingCapabilities: { supportsAsyncApplyEdits: false, supportsReturnEditResults: true },
      spatialReference: { wkid: 4326 },
      fullExtent: { xmin: 0, ymin: 0, xmax: 9, ymax: 9, spatialReference: { wkid: 4326 } },
      allowGeometryUpdates: true,
      units: 'esriDecimalDegrees',
      syncEnabled: false,
      supportsApplyEditsWithGlobalIds: true,
      layers: [{ id: 0, name: 'Grid', parentLayerId: -1, defaultVisibility: true, subLayerIds: null, minScale: 0, maxScale: 0, geometryType: 'esriGeometryPoint' }],
      tables: [],
      relationships: [],
    });
    expect(root.editorTrackingInfo).toEqual({ enableEditorTracking: false, enableOwnershipAccessControl: false, allowOthersToUpdate: true, allowOthersToDelete: true });
  });

  it('reports metres for a Web Mercator service and layers without data by their given extent', async () => {
    const url = await createService(
      server,
      token,
      'mercator',
      { layers: [{ name: 'Empty', geometryType: 'esriGeometryPolygon', extent: { xmin: 1, ymin: 2, xmax: 3, ymax: 4, spatialReference: { wkid: 102100 } } }] },
      { spatialReference: { wkid: 102100, latestWkid: 3857 } },
    );
    const root = await server.get<ServiceJson>(`${url}?f=json&token=${token}`);
    expect(root.units).toBe('esriMeters');
    expect(root.spatialReference).toEqual({ wkid: 102100, latestWkid: 3857 });
    const layer = await server.get<LayerJson>(`${url}/0?f=json&token=${token}`);
    expect(layer.extent).toEqual({ xmin: 1, ymin: 2, xmax: 3, ymax: 4, spatialReference: { wkid: 102100, latestWkid: 3857 } });
    expect(layer.supportsApplyEditsWithGlobalIds).toBe(false);
  });
});

describe('layer JSON', () => {
  it('has the keys of spec §3', async () => {
    const layer = await server.get<LayerJson>(`${grid}/0?f=json&token=${token}`);
    expect(layer).toMatchObject({
      currentVersion: 11.3,
      id: 0,
      name: 'Grid',
      type: 'Feature Layer',
      displayField: 'NAME',
      defaultVisibility: true,
      geometryType: 'esriGeometryPoint',
      hasZ: false,
      hasM: false,
      extent: { xmin: 0, ymin: 0, xmax: 9, ymax: 9, spatialReference: { wkid: 4326 } },
      objectIdField: 'OBJECTID',
      globalIdField: 'GlobalID',
      uniqueIdField: { name: 'OBJECTID', isSystemMaintained: true },
      typeIdField: '',
      types: [],
      geometryField: { name: 'Shape', type: 'esriFieldTypeGeometry', alias: 'Shape' },
      capabilities: 'Create,Delete,Query,Update,Editing',
      maxRecordCount: 2000,
      standardMaxRecordCount: 32000,
      tileMaxRecordCount: 8000,
      maxRecordCountFactor: 1,
      supportedQueryFormats: 'JSON, geoJSON, PBF',
      supportsRollbackOnFailureParameter: true,
      supportsApplyEditsWithGlobalIds: true,
      supportsStatistics: true,
      supportsAdvancedQueries: true,
      supportsCoordinatesQuantization: false,
      useStandardizedQueries: true,
      allowGeometryUpdates: true,
      hasAttachments: false,
      isDataVersioned: false,
      htmlPopupType: 'esriServerHTMLPopupTypeNone',
      minScale: 0,
      maxScale: 0,
      editFieldsInfo: null,
      ownershipBasedAccessControlForFeatures: null,
      relationships: [],
      dateFieldsTimeReference: { timeZone: 'UTC', respectsDaylightSaving: false },
    });
    expect(layer.templates).toEqual([{ name: 'Grid', description: '', drawingTool: 'esriFeatureEditToolPoint', prototype: { attributes: {} } }]);
    expect(layer.drawingInfo.renderer).toMatchObject({ type: 'simple', symbol: { type: 'esriSMS' } });
    expect(layer.advancedQueryCapabilities).toMatchObject({ supportsPagination: true, supportsStatistics: true, supportsOrderBy: true, supportsDistinct: true, supportsHavingClause: true, supportsQueryWithDistance: true, supportsPercentileStatistics: false });
    expect(layer.supportedSpatialRelationships).toContain('esriSpatialRelTouches');
  });

  it('describes fields completely (spec §3.1)', async () => {
    const layer = await server.get<LayerJson>(`${grid}/0?f=json&token=${token}`);
    const byName = Object.fromEntries(layer.fields.map((f) => [f.name, f]));
    expect(byName.OBJECTID).toEqual({ name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID', sqlType: 'sqlTypeOther', nullable: false, editable: false, domain: null, defaultValue: null });
    expect(byName.GlobalID).toEqual({ name: 'GlobalID', type: 'esriFieldTypeGlobalID', alias: 'GlobalID', sqlType: 'sqlTypeOther', length: 38, nullable: false, editable: false, domain: null, defaultValue: null });
    expect(byName.NAME).toEqual({ name: 'NAME', type: 'esriFieldTypeString', alias: 'Name', sqlType: 'sqlTypeNVarchar', length: 40, nullable: true, editable: true, domain: null, defaultValue: null });
    expect(byName.WHEN).toMatchObject({ type: 'esriFieldTypeDate', length: 8 });
  });

  it('lists all layers and tables at /layers', async () => {
    const all = await server.get<ServiceJson>(`${grid}/layers?f=json&token=${token}`);
    expect(all.layers).toHaveLength(1);
    expect(all.layers[0]).toMatchObject({ id: 0, name: 'Grid', fields: expect.any(Array) as unknown });
    expect(all.tables).toEqual([]);
  });

  it('answers unknown layers and services with 404 and other types with their own', async () => {
    expect((await server.get<LayerJson>(`${grid}/7?f=json&token=${token}`)).error.code).toBe(404);
    expect((await server.get<ServiceJson>(`/rest/services/Hosted/nothing/FeatureServer?f=json&token=${token}`)).error).toEqual({
      code: 404,
      message: 'Service not found',
      details: ["Service 'Hosted/nothing' of type 'FeatureServer' does not exist or is inaccessible."],
    });
  });
});

describe('access', () => {
  it('hides private services from anonymous callers (499) and other users (403), follows item sharing', async () => {
    await server.addUser('other', 'user');
    const otherToken = await server.token('other', 'other-pw');
    expect((await server.get<ServiceJson>(`${grid}?f=json`)).error.code).toBe(499);
    expect((await server.get<ServiceJson>(`${grid}?f=json&token=${otherToken}`)).error.code).toBe(403);
    const itemId = (await server.get<ServiceJson>(`${grid}?f=json&token=${token}`)).serviceItemId;
    await server.post(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, org: true });
    expect((await server.get<ServiceJson>(`${grid}?f=json&token=${otherToken}`)).currentVersion).toBe(11.3);
    expect((await server.get<ServiceJson>(`${grid}?f=json`)).error.code).toBe(499);
    await server.post(`/sharing/rest/content/users/admin/items/${itemId}/share`, { f: 'json', token, everyone: true });
    expect((await server.get<FeatureSet>(`${grid}/0/query?f=json&where=1=1&returnCountOnly=true`)).count).toBe(100);
  });
});

describe('HTML pages', () => {
  it('renders the service, layer and edit pages', async () => {
    const html = (path: string) => fetch(`${server.url}${path}${path.includes('?') ? '&' : '?'}f=html&token=${token}`).then((r) => r.text());
    expect(await html(grid)).toContain('Grid (0)');
    const layer = await html(`${grid}/0`);
    expect(layer).toContain('Feature Layer: Grid');
    expect(layer).toContain('query');
    const edit = await html(`${grid}/0/deleteFeatures`);
    expect(edit).toContain('method="POST"');
  });
});

describe('demo content', () => {
  it('creates a public points layer on first start when demo is on, once', async () => {
    const demo = await startTestServer({ demo: true });
    try {
      const root = await demo.get<ServiceJson>('/rest/services/Hosted/WorldPlaces/FeatureServer?f=json');
      expect(root.layers[0]).toMatchObject({ name: 'Places', geometryType: 'esriGeometryPoint' });
      expect(root.capabilities).toBe('Query');
      const count = await demo.get<FeatureSet>('/rest/services/Hosted/WorldPlaces/FeatureServer/0/query?where=CAPITAL%3D1&returnCountOnly=true&f=json');
      expect(count.count).toBeGreaterThan(20);
      const tokyo = await demo.get<FeatureSet>("/rest/services/Hosted/WorldPlaces/FeatureServer/0/query?where=NAME%3D'Tokyo'&outSR=4326&f=json");
      expect(tokyo.features[0].geometry.x).toBeCloseTo(139.6917, 6);
    } finally {
      await demo.close();
    }
  });
});
