import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { krigingOptions, type KrigingType } from '../../src/tasks/analysis/interpolate/kriging.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { readOutputRows, readRows, analysisResults } from '../helpers/analysis-server.js';

// 30 samples over 1 km² with a trend in x and y and some noise (a fixed pseudo-random series).
let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const FEATURES = Array.from({ length: 30 }, (_, i) => {
  const x = 500000 + random() * 1000;
  const y = 4000000 + random() * 1000;
  return { geometry: { x, y }, attributes: { OBJECTID: i + 1, z: 0.01 * (x - 500000) + 0.002 * (y - 4000000) + random() } };
});
const POINTS = { geometryType: 'esriGeometryPoint', spatialReference: { wkid: 32633 }, fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'z', type: 'esriFieldTypeDouble' }], features: FEATURES };

// GRASS and SAGA start-up alone takes seconds on the shared, loaded machine.
vi.setConfig({ testTimeout: 240_000 });

let server: TestServer;
let token: string;
let scratch: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
  scratch = mkdtempSync(path.join(tmpdir(), 'tessera-kriging-'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** saga_cmd run directly on the same points and grid: the prediction (and error) rows. */
function sagaDirect(type: KrigingType, cell: number): { prediction: Array<Array<number | null>>; error: Array<Array<number | null>> } {
  const json = path.join(scratch, `points-${type}.json`);
  writeFileSync(json, JSON.stringify(POINTS));
  const geojson = path.join(scratch, `points-${type}.geojson`);
  execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-select', 'z', geojson, json]);
  const xs = FEATURES.map((f) => f.geometry.x);
  const ys = FEATURES.map((f) => f.geometry.y);
  const [xmin, xmax, ymin, ymax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const grid = { xmin, ymax, cell, width: Math.round((xmax - xmin) / cell), height: Math.round((ymax - ymin) / cell) };
  const files = { points: geojson, prediction: path.join(scratch, `${type}.tif`), error: path.join(scratch, `${type}-error.tif`), crossValidation: path.join(scratch, `${type}.csv`) };
  const { tool, options } = krigingOptions({ points: geojson, layer: '', field: 'z', type, grid, neighbors: 8, logTransform: false }, files);
  execFileSync('saga_cmd', ['statistics_kriging', tool, ...Object.entries(options).flatMap(([k, v]) => [`-${k}`, String(v)])], { stdio: 'ignore', cwd: scratch });
  return { prediction: readRows(files.prediction), error: readRows(files.error) };
}

function expectClose(actual: Array<Array<number | null>>, expected: Array<Array<number | null>>): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[r]![c]!, 3)));
}

describe('InterpolatePoints with kriging over HTTP (SAGA statistics_kriging)', () => {
  it('ordinary kriging (BALANCE) as SAGA run directly, with the standard error layer and cross validation', async () => {
    const results = await analysisResults(server, token, 'InterpolatePoints', { inputPointFeatures: POINTS, interpolateField: 'z', outputCellSize: 50, outputPredictionError: true, outputName: 'z_ok' });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/z_ok/ImageServer`);
    expect(results.outputErrorRaster.value.url).toBe(`${server.url}/rest/services/Hosted/z_ok_error/ImageServer`);
    expect((results.processInfo.value as unknown as string[]).join(' ')).toMatch(/ordinary kriging.*RMSE/);
    const direct = sagaDirect('ORDINARY', 50);
    expectClose(await readOutputRows(server, 'z_ok'), direct.prediction);
    expectClose(await readOutputRows(server, 'z_ok_error'), direct.error);
  });

  it('universal kriging (ACCURACY) as SAGA run directly', async () => {
    const results = await analysisResults(server, token, 'InterpolatePoints', { inputPointFeatures: POINTS, interpolateField: 'z', outputCellSize: 50, optimizeFor: 'ACCURACY', outputName: 'z_uk' });
    expect((results.processInfo.value as unknown as string[]).join(' ')).toMatch(/universal kriging/);
    expectClose(await readOutputRows(server, 'z_uk'), sagaDirect('UNIVERSAL', 50).prediction);
  });
});
