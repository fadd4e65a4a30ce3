import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { TestServer } from '../helpers/test-server.js';
import { analysisResults, type AnalysisServer, readOutputRows, runAnalysisJob, startAnalysisServer } from '../helpers/analysis-server.js';

// 7×7 cells of 10 m; cost 1, except a wall of cost 50 down column 3 with a gap in the last row.
const GEO = [500000, 10, 0, 4000070, 0, -10];
const SIZE = 7;
const center = (col: number, row: number) => ({ x: 500005 + 10 * col, y: 4000065 - 10 * row });
const cellOf = (x: number, y: number) => [Math.floor((x - 500000) / 10), Math.floor((4000070 - y) / 10)];

// GRASS and SAGA start-up alone takes seconds on the shared, loaded machine.
vi.setConfig({ testTimeout: 240_000 });

let env: AnalysisServer;
let server: TestServer;
let share: string;
let token: string;

beforeAll(async () => {
  env = await startAnalysisServer('paths');
  ({ server, token, share } = env);
  await writeRaster(path.join(share, 'wall.tif'), { width: SIZE, height: SIZE, srs: 'EPSG:32611', geoTransform: GEO, dataType: 'Float32', value: (c, r) => (c === 3 && r < 6 ? 50 : 1) });
  await writeRaster(path.join(share, 'flat.tif'), { width: SIZE, height: SIZE, srs: 'EPSG:32611', geoTransform: GEO, dataType: 'Float32', value: () => 1 });
}, 60_000);

afterAll(async () => env?.close());

const points = (list: Array<{ col: number; row: number; id: number }>) => ({
  geometryType: 'esriGeometryPoint',
  spatialReference: { wkid: 32611 },
  features: list.map((p, i) => ({ geometry: center(p.col, p.row), attributes: { OBJECTID: i + 1, site: p.id } })),
});

async function queryLines(url: string): Promise<Array<{ attributes: Record<string, number>; paths: number[][][] }>> {
  const response = await fetch(`${url}/0/query?where=1%3D1&outFields=*&f=json&token=${token}`);
  const body = (await response.json()) as { features: Array<{ attributes: Record<string, number>; geometry: { paths: number[][][] } }> };
  return body.features.map((f) => ({ attributes: f.attributes, paths: f.geometry.paths }));
}

/** GRASS r.cost + r.path run directly on the same raster: the path's vertices and the cost at the destination. */
function grassPath(raster: string, source: [number, number], destination: [number, number]): { vertices: number[][]; cost: number } {
  const [sx, sy] = [center(...source).x, center(...source).y];
  const [dx, dy] = [center(...destination).x, center(...destination).y];
  const out = path.join(share, 'grass-path.txt');
  const script = [
    'set -e',
    `r.in.gdal -o input=${raster} output=cost --quiet`,
    'g.region raster=cost',
    `r.cost input=cost output=acc outdir=dir start_coordinates=${sx},${sy} --quiet`,
    `r.path input=dir format=degree vector_path=p start_coordinates=${dx},${dy} --quiet`,
    `v.out.ascii input=p type=line format=wkt > ${out}`,
    `r.what map=acc coordinates=${dx},${dy} >> ${out}`,
  ].join('\n');
  execFileSync('grass', ['--tmp-location', raster, '--exec', 'bash', '-c', script], { stdio: 'ignore', env: { ...process.env, TMPDIR: share } });
  const [wkt, what] = readFileSync(out, 'utf8').trim().split('\n');
  const vertices = /\((.*)\)/.exec(wkt!)![1]!.split(',').map((pair) => pair.trim().split(/\s+/).map(Number));
  return { vertices, cost: Number(what!.split('|').pop()) };
}

describe('DetermineTravelCostPathAsPolyline over HTTP (GRASS r.cost + r.path)', () => {
  it('traces the least-cost path around the wall as GRASS does run directly, with DestID and PathCost', async () => {
    const results = await analysisResults(server, token, 'DetermineTravelCostPathAsPolyline', {
      inputSourceRasterOrFeatures: points([{ col: 0, row: 3, id: 1 }]),
      inputCostRaster: { uri: '/fileShares/paths/wall.tif' },
      inputDestinationRasterOrFeatures: points([{ col: 6, row: 3, id: 7 }, { col: 6, row: 0, id: 8 }]),
      destinationField: 'site',
      pathType: 'EACH_CELL',
      outputPolylineName: 'wall_paths',
    });
    expect(results.outputPolylineFeatures.value.url).toBe(`${server.url}/rest/services/Hosted/wall_paths/FeatureServer`);
    expect(results.outputPolylineFeatures.value.itemId).toBeTruthy();
    const lines = await queryLines(results.outputPolylineFeatures.value.url);
    expect(lines.map((l) => l.attributes.DestID).sort()).toEqual([7, 8]);
    const line = lines.find((l) => l.attributes.DestID === 7)!;
    const grass = grassPath(path.join(share, 'wall.tif'), [0, 3], [6, 3]);
    expect(line.paths[0]).toEqual(grass.vertices);
    expect(line.attributes.PathCost).toBeCloseTo(grass.cost * 10, 4); // r.cost counts cells; ArcGIS map units
    // Through the gap: some vertex lies in column 3, row 6.
    expect(line.paths[0]!.some(([x, y]) => cellOf(x!, y!).join() === '3,6')).toBe(true);
  });

  it('takes a raster source as it is (linked, a fraction) and raster destinations, as features', async () => {
    await writeRaster(path.join(share, 'source.tif'), { width: SIZE, height: SIZE, srs: 'EPSG:32611', geoTransform: GEO, dataType: 'Float32', noData: -9999, value: (c, r) => (c === 0 && r === 3 ? 0.5 : -9999) });
    await writeRaster(path.join(share, 'destinations.tif'), { width: SIZE, height: SIZE, srs: 'EPSG:32611', geoTransform: GEO, dataType: 'Float32', noData: -1, value: (c, r) => (c === 6 && r === 3 ? 7 : c === 6 && r === 0 ? 8 : -1) });
    const results = await analysisResults(server, token, 'DetermineTravelCostPathAsPolyline', {
      inputSourceRasterOrFeatures: { uri: '/fileShares/paths/source.tif' },
      inputCostRaster: { uri: '/fileShares/paths/wall.tif' },
      inputDestinationRasterOrFeatures: { uri: '/fileShares/paths/destinations.tif' },
      pathType: 'EACH_CELL',
      outputPolylineName: 'raster_paths',
    });
    const lines = await queryLines(results.outputPolylineFeatures.value.url);
    expect(lines.map((l) => l.attributes.DestID).sort()).toEqual([7, 8]);
    for (const [id, row] of [[7, 3], [8, 0]] as const) {
      const grass = grassPath(path.join(share, 'wall.tif'), [0, 3], [6, row]);
      const line = lines.find((l) => l.attributes.DestID === id)!;
      expect(line.paths[0]).toEqual(grass.vertices);
      expect(line.attributes.PathCost).toBeCloseTo(grass.cost * 10, 4);
    }
  });

  it('fails naming the destinations when none lies on the cost raster (read while r.cost runs)', async () => {
    const run = await runAnalysisJob(env, 'DetermineTravelCostPathAsPolyline', {
      inputSourceRasterOrFeatures: points([{ col: 0, row: 3, id: 1 }]),
      inputCostRaster: { uri: '/fileShares/paths/flat.tif' },
      inputDestinationRasterOrFeatures: points([{ col: 40, row: 3, id: 7 }]),
      outputPolylineName: 'off_grid_paths',
    });
    expect(run.status).toBe('esriJobFailed');
    expect(run.messages.join('\n')).toContain("No feature of 'inputDestinationRasterOrFeatures' lies on the raster 'inputCostRaster'.");
  });

  it('keeps only the cheapest destination with BEST_SINGLE', async () => {
    const results = await analysisResults(server, token, 'DetermineTravelCostPathAsPolyline', {
      inputSourceRasterOrFeatures: points([{ col: 0, row: 3, id: 1 }]),
      inputCostRaster: { uri: '/fileShares/paths/flat.tif' },
      inputDestinationRasterOrFeatures: points([{ col: 6, row: 3, id: 7 }, { col: 2, row: 3, id: 8 }]),
      destinationField: 'site',
      outputPolylineName: 'best_path',
    });
    const lines = await queryLines(results.outputPolylineFeatures.value.url);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.attributes.DestID).toBe(8);
    expect(lines[0]!.attributes.PathCost).toBeCloseTo(20, 6);
  });
});

describe('DetermineTravelCostPathsToDestinations over HTTP (GRASS r.path on a back-link raster)', () => {
  it('marks the cells of the path from each destination, valued by the destination, as GRASS traces them', async () => {
    await analysisResults(server, token, 'CalculateTravelCost', {
      inputSourceRasterOrFeatures: points([{ col: 0, row: 3, id: 1 }]),
      inputCostRaster: { uri: '/fileShares/paths/wall.tif' },
      outputDistanceName: 'wall_distance',
      outputBacklinkName: 'wall_backlink',
    });
    const results = await analysisResults(server, token, 'DetermineTravelCostPathsToDestinations', {
      inputDestinationRasterOrFeatures: points([{ col: 6, row: 3, id: 7 }]),
      inputCostDistanceRaster: { url: `${server.url}/rest/services/Hosted/wall_distance/ImageServer` },
      inputCostBacklinkRaster: { url: `${server.url}/rest/services/Hosted/wall_backlink/ImageServer` },
      destinationField: 'site',
      outputName: 'wall_path_raster',
    });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/wall_path_raster/ImageServer`);
    const rows = await readOutputRows(server, 'wall_path_raster');
    const marked = new Set<string>();
    rows.forEach((row, r) => row.forEach((v, c) => {
      if (v !== null) {
        expect(v).toBe(7);
        marked.add(`${c},${r}`);
      }
    }));
    const grass = grassPath(path.join(share, 'wall.tif'), [0, 3], [6, 3]);
    expect(marked).toEqual(new Set(grass.vertices.map(([x, y]) => cellOf(x!, y!).join())));
  });
});

describe('DetermineOptimumTravelCostNetwork over HTTP (GRASS r.cost per region, minimum spanning tree)', () => {
  it('joins three regions by the two cheapest links, and lists all three links as the neighbour network', async () => {
    const results = await analysisResults(server, token, 'DetermineOptimumTravelCostNetwork', {
      inputRegionsRasterOrFeatures: points([{ col: 0, row: 0, id: 1 }, { col: 6, row: 0, id: 2 }, { col: 0, row: 6, id: 3 }]),
      inputCostRaster: { uri: '/fileShares/paths/flat.tif' },
      outputOptimumNetworkName: 'network',
      outputNeighborNetworkName: 'network_all',
    });
    const optimum = await queryLines(results.outputOptimumNetworkFeatures.value.url);
    expect(optimum.map((l) => `${l.attributes.FromRegion}-${l.attributes.ToRegion}`).sort()).toEqual(['1-2', '1-3']);
    for (const line of optimum) expect(line.attributes.PathCost).toBeCloseTo(60, 6);
    const all = await queryLines(results.outputNeighborNetworkFeatures.value.url);
    expect(all.map((l) => `${l.attributes.FromRegion}-${l.attributes.ToRegion}`).sort()).toEqual(['1-2', '1-3', '2-3']);
    expect(all.find((l) => l.attributes.FromRegion === 2)!.attributes.PathCost).toBeCloseTo(60 * Math.SQRT2, 6);
  });
});
