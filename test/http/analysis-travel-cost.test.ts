import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { TestServer } from '../helpers/test-server.js';
import { analysisResults, type AnalysisServer, readOutputRows, startAnalysisServer } from '../helpers/analysis-server.js';

// 5×5 cells of 10 m; crossing a cell costs 1 + its column per metre.
const GEO = [500000, 10, 0, 4000050, 0, -10];
const center = (col: number, row: number) => ({ x: 500005 + 10 * col, y: 4000045 - 10 * row });

let env: AnalysisServer;
let server: TestServer;
let share: string;
let token: string;

beforeAll(async () => {
  env = await startAnalysisServer('cost');
  ({ server, token, share } = env);
  await writeRaster(path.join(share, 'cost5.tif'), { width: 5, height: 5, srs: 'EPSG:32611', geoTransform: GEO, dataType: 'Float32', value: (c) => 1 + c });
}, 60_000);

afterAll(async () => env?.close());

const sources = (points: Array<{ col: number; row: number; id: number }>) => ({
  geometryType: 'esriGeometryPoint',
  spatialReference: { wkid: 32611 },
  features: points.map((p, i) => ({ geometry: center(p.col, p.row), attributes: { OBJECTID: i + 1, station: p.id } })),
});

describe('CalculateTravelCost over HTTP with arcgis-rest-js Job (GRASS r.cost)', () => {
  it('accumulates (c₁ + c₂)/2 × distance from the source, with ArcGIS back-link codes', async () => {
    const results = await analysisResults(server, token, 'CalculateTravelCost', {
      inputSourceRasterOrFeatures: sources([{ col: 0, row: 2, id: 3 }]),
      inputCostRaster: { uri: '/fileShares/cost/cost5.tif' },
      outputDistanceName: 'cost_distance',
      outputBacklinkName: 'cost_backlink',
    });
    expect(results.outputDistanceRaster.value.url).toBe(`${server.url}/rest/services/Hosted/cost_distance/ImageServer`);
    expect(results.outputBacklinkRaster.value.url).toBe(`${server.url}/rest/services/Hosted/cost_backlink/ImageServer`);
    const distance = await readOutputRows(server, 'cost_distance');
    expect(distance[2]![0]).toBe(0);
    expect(distance[2]![1]).toBeCloseTo(15, 4); // (1 + 2) / 2 × 10
    expect(distance[2]![2]).toBeCloseTo(40, 4); // + (2 + 3) / 2 × 10
    expect(distance[1]![1]).toBeCloseTo(15 * Math.SQRT2, 4); // diagonal: × √2
    expect(distance[1]![0]).toBeCloseTo(10, 4); // (1 + 1) / 2 × 10
    const backlink = await readOutputRows(server, 'cost_backlink');
    expect(backlink[2]).toEqual([0, 5, 5, 5, 5]); // west, back toward the source
    expect(backlink[0]![0]).toBe(3); // straight south
    expect(backlink[1]![1]).toBe(4); // south-west
    expect(backlink[3]![1]).toBe(6); // north-west
  });

  it('allocates each cell to its cheapest source by the allocation field, within the maximum', async () => {
    const results = await analysisResults(server, token, 'CalculateTravelCost', {
      inputSourceRasterOrFeatures: sources([{ col: 0, row: 0, id: 3 }, { col: 4, row: 4, id: 5 }]),
      inputCostRaster: { uri: '/fileShares/cost/cost5.tif' },
      allocationField: 'station',
      maximumAccumulation: 30,
      outputDistanceName: 'alloc_distance',
      outputAllocationName: 'alloc',
    });
    expect(results.outputAllocationRaster.value.url).toBe(`${server.url}/rest/services/Hosted/alloc/ImageServer`);
    const allocation = await readOutputRows(server, 'alloc');
    const distance = await readOutputRows(server, 'alloc_distance');
    expect(allocation[0]![0]).toBe(3);
    expect(allocation[1]![0]).toBe(3);
    expect(allocation[4]![4]).toBe(5);
    // Beyond 30 cost units nothing is reached: NoData in both.
    expect(distance[0]![4]).toBeNull();
    expect(allocation[0]![4]).toBeNull();
    for (const row of distance) for (const v of row) if (v !== null) expect(v).toBeLessThanOrEqual(30 + 1e-9);
  });

  it('spreads from every data cell of a raster source linked as it is (two bands, NoData, a fraction)', async () => {
    // Band 1 has data at (0, 2) and (4, 0) only; band 2, which GRASS must not take, everywhere.
    await writeRaster(path.join(share, 'sources5.tif'), { width: 5, height: 5, bands: 2, srs: 'EPSG:32611', geoTransform: GEO, dataType: 'Float32', noData: -9999, value: (c, r, b) => (b === 2 || (c === 0 && r === 2) ? 0.5 : c === 4 && r === 0 ? 0 : -9999) });
    await analysisResults(server, token, 'CalculateTravelCost', {
      inputSourceRasterOrFeatures: { uri: '/fileShares/cost/sources5.tif' },
      inputCostRaster: { uri: '/fileShares/cost/cost5.tif' },
      outputDistanceName: 'linked_distance',
    });
    const distance = await readOutputRows(server, 'linked_distance');
    expect(distance[2]![0]).toBe(0);
    expect(distance[0]![4]).toBe(0);
    expect(distance[2]![1]).toBeCloseTo(15, 4);
    expect(distance[1]![4]).toBeCloseTo(50, 4); // (5 + 5) / 2 × 10 south of the second source
    expect(distance.flat().filter((v) => v === 0)).toHaveLength(2);
  });
});
