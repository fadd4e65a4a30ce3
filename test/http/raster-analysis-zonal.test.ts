import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureFeatureStore } from '../../src/features/feature-deps.js';
import { publishFile } from '../../src/features/publish/publish-file.js';
import { gdalCommand, outputRasterPath, readBand, runAnalysisJob, useDemServer } from '../helpers/analysis-server.js';
import type { FeatureSet, Item } from '../helpers/answers.js';

let layerUrl = '';

const square = (x: number, y: number, size: number) => [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]];
/** Three districts over the Olinda DEM (UTM 25S, SIRGAS 2000): two named "north", one "south". */
const DISTRICTS = {
  type: 'FeatureCollection',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::31985' } },
  features: [
    { type: 'Feature', properties: { district: 'north', code: 1 }, geometry: { type: 'Polygon', coordinates: square(289500, 9116000, 4000) } },
    { type: 'Feature', properties: { district: 'north', code: 2 }, geometry: { type: 'Polygon', coordinates: square(294000, 9116500, 3000) } },
    { type: 'Feature', properties: { district: 'south', code: 3 }, geometry: { type: 'Polygon', coordinates: square(291000, 9111500, 4000) } },
  ],
};

const demServer = useDemServer(async (env) => {
  const file = path.join(env.share, 'districts.geojson');
  await writeFile(file, JSON.stringify(DISTRICTS));
  const created = await publishFile(ensureFeatureStore(env.server.context), { owner: 'admin', file, format: 'geojson', name: 'districts', baseUrl: env.server.url });
  layerUrl = `${created.url}/0`;
});

/** The baseline: zones burnt with gdal_rasterize on the DEM's grid, statistics by brute force. */
async function expectedZones(where: string): Promise<{ zones: Float64Array; dem: ReturnType<typeof readBand> }> {
  const dem = readBand(demServer.env.dem);
  const e = { xmin: dem.geoTransform[0], ymax: dem.geoTransform[3], xmax: dem.geoTransform[0] + dem.geoTransform[1] * dem.width, ymin: dem.geoTransform[3] + dem.geoTransform[5] * dem.height };
  const file = path.join(demServer.env.share, `zones-${where.length}.tif`);
  const source = path.join(demServer.env.share, 'districts.geojson');
  await gdalCommand('gdal_rasterize', ['-q', '-where', where, '-a', 'code', '-ot', 'Int32', '-a_nodata', '0', '-init', '0', '-te', String(e.xmin), String(e.ymin), String(e.xmax), String(e.ymax), '-ts', String(dem.width), String(dem.height), source, file]);
  return { zones: readBand(file).values, dem };
}

describe('SummarizeRasterWithin over HTTP', () => {
  it('gives every cell of a zone the mean of the DEM over that zone (zones: a hosted layer with a filter, grouped by a text field)', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'SummarizeRasterWithin', {
      inputZoneLayer: { url: layerUrl, filter: "district = 'north'" },
      zoneField: 'district',
      inputRasterLayertoSummarize: { uri: '/data/dem.tif' },
      statisticType: 'Mean',
      outputName: 'dem_mean_north',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    expect(results.outputRaster.value.url).toMatch(/Hosted\/dem_mean_north\/ImageServer$/);
    const { zones, dem } = await expectedZones("district = 'north'");
    let sum = 0;
    let count = 0;
    for (let i = 0; i < zones.length; i++) if (zones[i] > 0) [sum, count] = [sum + dem.values[i], count + 1];
    const out = readBand(await outputRasterPath(demServer.env.server, 'dem_mean_north'));
    expect(count).toBeGreaterThan(100);
    for (let i = 0; i < zones.length; i++) {
      // Float32 output: the mean agrees to float precision.
      if (zones[i] > 0) expect(Math.abs(out.values[i] - sum / count)).toBeLessThan(1e-4);
      else expect(out.values[i]).toBe(out.noData);
    }
  });

  it('takes raster zones by value and the Maximum statistic', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { zones } = await expectedZones('1=1');
    const zoneFile = path.join(demServer.env.share, 'zones-raster.tif');
    await gdalCommand('gdal_translate', ['-q', path.join(demServer.env.share, 'zones-3.tif'), zoneFile]);
    const { status, messages } = await runAnalysisJob(demServer.env, 'SummarizeRasterWithin', {
      inputZoneLayer: { uri: '/data/zones-raster.tif' },
      inputRasterLayertoSummarize: { uri: '/data/dem.tif' },
      statisticType: 'Maximum',
      outputName: 'dem_max_zones',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const dem = readBand(demServer.env.dem);
    const max = new Map<number, number>();
    for (let i = 0; i < zones.length; i++) if (zones[i] > 0) max.set(zones[i], Math.max(max.get(zones[i]) ?? -Infinity, dem.values[i]));
    const out = readBand(await outputRasterPath(demServer.env.server, 'dem_max_zones'));
    for (let i = 0; i < zones.length; i++) if (zones[i] > 0) expect(out.values[i]).toBe(max.get(zones[i]));
  });

  it('fails naming a zone field the layer does not have', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, messages } = await runAnalysisJob(demServer.env, 'SummarizeRasterWithin', {
      inputZoneLayer: { url: layerUrl },
      zoneField: 'nope',
      inputRasterLayertoSummarize: { uri: '/data/dem.tif' },
      outputName: 'never_zoned',
    });
    expect(status).toBe('esriJobFailed');
    expect(messages.join(' ')).toMatch(/'zoneField'.*no field 'nope'/);
  });
});

describe('ZonalStatisticsAsTable over HTTP', () => {
  it('writes one row per zone to a hosted table', async (ctx) => {
    if (demServer.skip) return ctx.skip();
    const { status, results, messages } = await runAnalysisJob(demServer.env, 'ZonalStatisticsAsTable', {
      inputZoneRasterOrFeatures: { url: layerUrl },
      zoneField: 'code',
      inputValueRaster: { uri: '/data/dem.tif' },
      statisticType: 'MIN_MAX_MEAN',
      outputName: 'dem_zonal_table',
    });
    expect(status, messages.join('\n')).toBe('esriJobSucceeded');
    const table = results.outputTable.value;
    const item = await demServer.env.server.get<Item>(`/sharing/rest/content/items/${table.itemId}?f=json&token=${demServer.env.token}`);
    expect(item).toMatchObject({ type: 'Feature Service', owner: 'admin' });
    const rows = await demServer.env.server.get<FeatureSet>(`/rest/services/Hosted/dem_zonal_table/FeatureServer/0/query?where=1%3D1&outFields=*&orderByFields=code&f=json&token=${demServer.env.token}`);
    expect(rows.features.map((f) => f.attributes.code)).toEqual([1, 2, 3]);
    const { zones, dem } = await expectedZones('1=1');
    for (const row of rows.features.map((f) => f.attributes)) {
      const cells = [...zones.keys()].filter((i) => zones[i] === row.code).map((i) => dem.values[i]);
      expect(row.COUNT).toBe(cells.length);
      expect(row.MIN).toBeCloseTo(Math.min(...cells), 4);
      expect(row.MAX).toBeCloseTo(Math.max(...cells), 4);
      expect(row.MEAN).toBeCloseTo(cells.reduce((a, b) => a + b, 0) / cells.length, 4);
      expect(row.AREA).toBeCloseTo(cells.length * dem.geoTransform[1] ** 2, 0);
    }
  });
});

