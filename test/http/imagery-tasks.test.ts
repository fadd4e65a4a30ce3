import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { addImage } from '../../src/tasks/add-image.js';
import { createImageCollection } from '../../src/tasks/create-image-collection.js';
import { deleteImageCollection } from '../../src/tasks/delete-image-collection.js';
import { makeGeoTiffs, type GeoTiffFixtures } from '../fixtures/raster/make-geotiffs.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { makeTaskContext, runTask } from './imagery-task-context.js';

describe('image collection tasks, run directly', () => {
  let server: TestServer;
  let share: string;
  let tiffs: GeoTiffFixtures;

  beforeAll(async () => {
    server = await startTestServer();
    share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
    tiffs = await makeGeoTiffs(share);
    await catalogStoreFor(server.context.config).registerDataStore({ path: '/fileShares/share', name: 'share', type: 'folder', localPath: share, info: {}, created: Date.now() });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(share, { recursive: true, force: true });
  });

  it('creates a collection by value from GeoTIFFs in three CRSs', async () => {
    const context = makeTaskContext(server, {
      inputRasters: { uris: ['/share/utm-rgb.tif', '/share/wgs84-dem.tif', '/share/mercator-float.tif'] },
      imageCollection: { serviceProperties: { name: 'byvalue' } },
      rasterType: { rasterTypeName: 'Raster Dataset' },
      context: { outSR: { wkid: 3857 }, parallelProcessingFactor: '2' },
    });
    const { results, error } = await runTask(createImageCollection, context);
    expect(error).toBeUndefined();
    const result = results!.result as { itemId: string; url: string };
    expect(result.url).toBe(`${server.url}/rest/services/Hosted/byvalue/ImageServer`);
    const catalog = catalogStoreFor(server.context.config);
    const collection = (await catalog.getCollection('byvalue'))!;
    expect(collection.epsg).toBe(3857);
    const rows = await catalog.queryItems(collection.id, {});
    expect(rows.map((r) => r.name).sort()).toEqual(['mercator-float', 'utm-rgb', 'wgs84-dem']);
    for (const row of rows) {
      expect(row.byValue).toBe(true);
      expect(row.path.startsWith(path.join(server.dataDir, 'rasters', 'byvalue'))).toBe(true);
      expect(row.raster.epsg).toBe(3857);
      expect(row.raster.overviewFactors.length).toBeGreaterThanOrEqual(0);
    }
    const item = await server.context.stores.items.get(result.itemId);
    expect(item).toMatchObject({ type: 'Image Service', url: result.url, owner: 'admin' });
    expect(statSync(tiffs.utmRgb.path).isFile()).toBe(true);
  });

  it('creates a collection by reference without copying anything', async () => {
    const context = makeTaskContext(server, {
      inputRasters: { uris: ['/share/utm-rgb.tif', '/fileShares/share/wgs84-dem.tif'], byref: true },
      imageCollection: 'byref',
      rasterType: 'Raster Dataset',
      context: { outSR: { wkid: 4326 } },
    });
    const { error } = await runTask(createImageCollection, context);
    expect(error).toBeUndefined();
    const catalog = catalogStoreFor(server.context.config);
    const collection = (await catalog.getCollection('byref'))!;
    const rows = await catalog.queryItems(collection.id, {});
    expect(rows.map((r) => [r.name, r.byValue, r.path])).toEqual([
      ['utm-rgb', false, tiffs.utmRgb.path],
      ['wgs84-dem', false, tiffs.wgs84Dem.path],
    ]);
    const dir = path.join(server.dataDir, 'rasters', 'byref');
    expect(existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.tif')) : []).toEqual([]);
  });

  it('clips to context.extent and resamples to context.cellSize by value', async () => {
    const { xmin, ymax } = { xmin: tiffs.utmRgb.geoTransform[0], ymax: tiffs.utmRgb.geoTransform[3] };
    const extent = { xmin: xmin + 500, ymin: ymax - 1200, xmax: xmin + 1500, ymax: ymax - 400, spatialReference: { wkid: 32611 } };
    const context = makeTaskContext(server, {
      inputRasters: { uris: ['/share/utm-rgb.tif', '/share/mercator-float.tif'] },
      imageCollection: 'clipped',
      rasterType: 'Raster Dataset',
      context: { outSR: { wkid: 32611 }, extent, cellSize: 20 },
    });
    const { error } = await runTask(createImageCollection, context);
    expect(error).toBeUndefined();
    // The Mercator image lies far away: skipped with a warning, not an error.
    expect(context.messages.some((m) => m.level === 'warning' && /mercator-float.*skipped/.test(m.text))).toBe(true);
    const catalog = catalogStoreFor(server.context.config);
    const collection = (await catalog.getCollection('clipped'))!;
    const [row] = await catalog.queryItems(collection.id, {});
    expect(row.raster.geoTransform![1]).toBe(20);
    expect(row.bbox.xmin).toBeGreaterThanOrEqual(extent.xmin - 1e-6);
    expect(row.bbox.xmax).toBeLessThanOrEqual(extent.xmax + 1e-6);
    expect(collection.properties.clipExtent).toMatchObject({ xmin: extent.xmin });
  });

  it('adds the rows of another collection, linking its copies so either can be deleted', async () => {
    const source = makeTaskContext(server, {
      inputRasters: { uris: ['/share/utm-rgb.tif'] },
      imageCollection: 'original',
      rasterType: 'Raster Dataset',
      context: { outSR: { wkid: 32611 } },
    });
    const created = await runTask(createImageCollection, source);
    expect(created.error).toBeUndefined();
    const target = makeTaskContext(server, {
      inputRasters: { url: (created.results!.result as { url: string }).url },
      imageCollection: 'copy',
      rasterType: 'Raster Dataset',
      context: { outSR: { wkid: 32611 } },
    });
    expect((await runTask(createImageCollection, target)).error).toBeUndefined();
    const removed = makeTaskContext(server, { imageCollection: 'original' });
    expect((await runTask(deleteImageCollection, removed)).error).toBeUndefined();
    const catalog = catalogStoreFor(server.context.config);
    const [row] = await catalog.queryItems((await catalog.getCollection('copy'))!.id, {});
    expect(row).toMatchObject({ name: 'utm-rgb', byValue: true });
    expect(statSync(row.path).isFile()).toBe(true);
  });

  it('rolls back a job whose commit had happened (cancel after the catalog write)', async () => {
    const first = makeTaskContext(server, { inputRasters: { uris: ['/share/utm-rgb.tif'] }, imageCollection: 'base', rasterType: 'Raster Dataset', context: { outSR: 3857 } });
    expect((await runTask(createImageCollection, first)).error).toBeUndefined();
    const adding = makeTaskContext(server, { inputRasters: { uris: ['/share/wgs84-dem.tif'] }, imageCollection: { url: `${server.url}/rest/services/Hosted/base/ImageServer` }, rasterType: 'Raster Dataset' });
    expect((await addImage.execute(adding)).result).toBeTruthy();
    const { signal: _s, progress: _p, ...undo } = adding;
    await addImage.rollback!(undo);
    await addImage.rollback!(undo);
    const catalog = catalogStoreFor(server.context.config);
    const base = (await catalog.getCollection('base'))!;
    expect((await catalog.queryItems(base.id, {})).map((r) => r.name)).toEqual(['utm-rgb']);
    expect(base.summary.itemCount).toBe(1);
    expect(existsSync(path.join(server.dataDir, 'rasters', 'base', adding.jobId))).toBe(false);
    // Rolling back the creating job removes service, item and files too.
    const { signal: _s2, progress: _p2, ...undoFirst } = first;
    await createImageCollection.rollback!(undoFirst);
    expect(await catalog.getCollection('base')).toBeUndefined();
    expect(await server.context.stores.services.get('Hosted', 'base', 'ImageServer')).toBeUndefined();
    expect(existsSync(path.join(server.dataDir, 'rasters', 'base'))).toBe(false);
  });
});
