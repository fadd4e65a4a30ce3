import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureFeatureStore } from '../../src/features/feature-deps.js';
import { publishFile } from '../../src/features/publish/publish-file.js';
import { expectSamePixels, gdalCommand, outputRasterPath, readBand, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';
import type { SpatialReference } from '../helpers/answers.js';


const demServer = useDemServer();

describe('analysis inputs and outputs in their other forms', () => {
  it('reads a raster by the itemId of an imagery layer, and features by the itemId of a feature layer', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const copy = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'by_item_source' });
    expect(copy.status, copy.messages.join('\n')).toBe('esriJobSucceeded');
    const file = path.join(demServer.env.share, 'one-zone.geojson');
    const ring = [[290000, 9112000], [296000, 9112000], [296000, 9118000], [290000, 9118000], [290000, 9112000]];
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::31985' } }, features: [{ type: 'Feature', properties: { zone: 7 }, geometry: { type: 'Polygon', coordinates: [ring] } }] }));
    const layer = await publishFile(ensureFeatureStore(demServer.env.server.context), { owner: 'admin', file, format: 'geojson', name: 'one_zone', baseUrl: demServer.env.server.url });
    const { status, messages } = await runAnalysisJob(demServer.env, 'SummarizeRasterWithin', {
      inputZoneLayer: { itemId: layer.item.id },
      zoneField: 'zone',
      inputRasterLayertoSummarize: { itemId: copy.results.outputRaster.value.itemId },
      statisticType: 'Minimum',
      outputName: 'by_item_min',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const out = readBand(await outputRasterPath(demServer.env.server, 'by_item_min'));
    const values = out.values.filter((v) => v !== out.noData);
    expect(values.length).toBeGreaterThan(1000);
    expect(new Set(values).size).toBe(1);
  });

  it('reprojects to context.outSR as gdalwarp does', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'dem_mercator', context: { outSR: { wkid: 3857 } } });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const expected = path.join(demServer.env.share, 'expected-mercator.tif');
    await gdalCommand('gdalwarp', ['-q', '-r', 'near', '-t_srs', 'EPSG:3857', demServer.env.dem, expected]);
    const actual = readBand(await outputRasterPath(demServer.env.server, 'dem_mercator'));
    expectSamePixels({ ...actual, noData: null }, { ...readBand(expected), noData: null });
    const info = await demServer.env.server.get<{ spatialReference: SpatialReference }>(`/rest/services/Hosted/dem_mercator/ImageServer?f=json&token=${demServer.env.token}`);
    expect(info.spatialReference.latestWkid ?? info.spatialReference.wkid).toBe(3857);
  });

  it('takes the coarsest input cell size with context.cellSize MaxOfIn', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'CopyRaster', { inputRaster: { uri: '/data/dem.tif' }, outputName: 'dem_maxof', context: { cellSize: 'MaxOf' } });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    expect(readBand(await outputRasterPath(demServer.env.server, 'dem_maxof')).geoTransform[1]).toBeCloseTo(89.994067349451157, 6);
  });
});
