import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { calculateDistance } from '../../src/tasks/calculate-distance.js';
import { convertRasterToFeature } from '../../src/tasks/convert-raster-to-feature.js';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import { makeTaskContext, runTask } from './imagery-task-context.js';
import { RASTER_ANALYSIS, waitForJob } from './imagery-http.js';
import { useDemServer } from '../helpers/analysis-server.js';
import type { JobStatus } from '../helpers/answers.js';

/** An HTTP server on a free loopback port that accepts requests and never answers them. */
let hanging: Server;
const sockets = new Set<Socket>();
let slowBase = '';

const demServer = useDemServer(async () => {
  hanging = createServer(() => undefined);
  hanging.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  slowBase = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hanging?.close(resolve));
});

const slowRaster = () => ({ url: `${slowBase}/slow.tif` });
const slowLayer = () => ({ url: `${slowBase}/arcgis/rest/services/slow/FeatureServer/0` });
const points = { geometryType: 'esriGeometryPoint', spatialReference: { wkid: 31985 }, features: [{ attributes: { v: 1 }, geometry: { x: 292000, y: 9117000 } }] };

/** Every task with an input that keeps its engine busy (reading from a server that never answers). */
const CASES: Array<[string, () => Record<string, unknown>]> = [
  ['CopyRaster', () => ({ inputRaster: slowRaster() })],
  ['GenerateRaster', () => ({ rasterFunction: 'Slope', functionArguments: { Raster: slowRaster() } })],
  ['ConvertRasterToFeature', () => ({ inputRaster: slowRaster() })],
  ['ConvertFeatureToRaster', () => ({ inputFeature: slowLayer(), valueField: 'v' })],
  ['CalculateDistance', () => ({ inputSourceRasterOrFeatures: slowRaster() })],
  ['CreateViewshed', () => ({ inputElevationSurface: slowRaster(), inputObserverFeatures: points })],
  ['InterpolatePoints', () => ({ inputPointFeatures: slowLayer(), interpolateField: 'v' })],
  ['SummarizeRasterWithin', () => ({ inputZoneLayer: { uri: '/data/dem.tif' }, inputRasterLayertoSummarize: slowRaster() })],
  ['ZonalStatisticsAsTable', () => ({ inputZoneRasterOrFeatures: { uri: '/data/dem.tif' }, inputValueRaster: slowRaster() })],
];

describe('cancelling analysis jobs', () => {
  it.each(CASES)('%s: cancel during execution ends the engine and leaves no service, item or raster', async (task, makeParams) => {
    const params = makeParams();
    if (demServer.skip) return;
    const name = `cancelled_${task.toLowerCase()}`;
    const outputParam = task === 'CalculateDistance' ? 'outputDistanceName' : 'outputName';
    const submitted = await demServer.env.server.post<JobStatus>(`${RASTER_ANALYSIS}/${task}/submitJob`, {
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
      [outputParam]: name,
      f: 'json',
      token: demServer.env.token,
    });
    expect(submitted.jobId, JSON.stringify(submitted)).toBeTruthy();
    await waitForJob(demServer.env.server, task, submitted.jobId, demServer.env.token, 30_000, (job) => job.jobStatus === 'esriJobExecuting');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cancel = await demServer.env.server.post<JobStatus>(`${RASTER_ANALYSIS}/${task}/jobs/${submitted.jobId}/cancel`, { f: 'json', token: demServer.env.token });
    expect(cancel.jobStatus).toMatch(/esriJobCancell?ing|esriJobCancelled/);
    const done = await waitForJob(demServer.env.server, task, submitted.jobId, demServer.env.token, 30_000);
    expect(done.jobStatus).toBe('esriJobCancelled');
    for (const type of ['ImageServer', 'FeatureServer'] as const) expect(await demServer.env.server.context.stores.services.get('Hosted', name, type)).toBeUndefined();
    expect(await catalogStoreFor(demServer.env.server.context.config).getCollection(name)).toBeUndefined();
    expect(existsSync(path.join(demServer.env.server.dataDir, 'rasters', name))).toBe(false);
  }, 60_000);
});

describe('rolling back a finished analysis job', () => {
  it('removes every output of a multi-output job: services, items, collections and stored rasters', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    await writeRaster(path.join(demServer.env.share, 'one-source.tif'), { width: 50, height: 50, dataType: 'Byte', noData: 0, srs: 'EPSG:31985', geoTransform: [290000, 30, 0, 9120000, 0, -30], value: (c, r) => (c === 10 && r === 10 ? 4 : 0) });
    const context = makeTaskContext(demServer.env.server, { inputSourceRasterOrFeatures: { uri: '/data/one-source.tif' }, outputDistanceName: 'rb_distance', outputAllocationName: 'rb_allocation' });
    const { results, error } = await runTask(calculateDistance, context);
    expect(error).toBeUndefined();
    const itemIds = ['outputDistanceRaster', 'outputAllocationRaster'].map((k) => (results![k] as { itemId: string }).itemId);
    const { signal: _s, progress: _p, ...rest } = context;
    await calculateDistance.rollback!(rest);
    for (const name of ['rb_distance', 'rb_allocation']) {
      expect(await demServer.env.server.context.stores.services.get('Hosted', name, 'ImageServer')).toBeUndefined();
      expect(await catalogStoreFor(demServer.env.server.context.config).getCollection(name)).toBeUndefined();
      expect(existsSync(path.join(demServer.env.server.dataDir, 'rasters', name))).toBe(false);
    }
    for (const id of itemIds) expect(await demServer.env.server.context.stores.items.get(id)).toBeUndefined();
  });

  it('removes a hosted feature layer it published', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const context = makeTaskContext(demServer.env.server, { inputRaster: { uri: '/data/one-source.tif' }, outputType: 'Point', outputName: 'rb_points' });
    const { results, error } = await runTask(convertRasterToFeature, context);
    expect(error).toBeUndefined();
    const itemId = (results!.outputFeatures as { itemId: string }).itemId;
    expect(await demServer.env.server.context.stores.items.get(itemId)).toBeDefined();
    const { signal: _s, progress: _p, ...rest } = context;
    await convertRasterToFeature.rollback!(rest);
    expect(await demServer.env.server.context.stores.services.get('Hosted', 'rb_points', 'FeatureServer')).toBeUndefined();
    expect(await demServer.env.server.context.stores.items.get(itemId)).toBeUndefined();
  });
});
