import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { TestServer } from '../helpers/test-server.js';
import { analysisResults, type AnalysisServer, processesMentioning, readOutputRows, runAnalysisJob, startAnalysisServer } from '../helpers/analysis-server.js';

// 5×5 values 10·col + row; (0,4) is NoData. The mask is NoData in column 4 (to be nibbled).
const spec = { width: 5, height: 5, srs: 'EPSG:32611', geoTransform: [500000, 10, 0, 4000050, 0, -10], dataType: 'Float32' as const, noData: -9999 };

let env: AnalysisServer;
let server: TestServer;
let share: string;
let token: string;

beforeAll(async () => {
  env = await startAnalysisServer('nibble');
  ({ server, token, share } = env);
  await writeRaster(path.join(share, 'values.tif'), { ...spec, value: (c, r) => (c === 4 && r === 0 ? -9999 : 10 * c + r) });
  await writeRaster(path.join(share, 'mask.tif'), { ...spec, value: (c) => (c === 4 ? -9999 : 1) });
}, 60_000);

afterAll(async () => env?.close());

describe('Nibble over HTTP with arcgis-rest-js Job (GRASS r.grow.distance)', () => {
  const base = { inputRaster: { uri: '/fileShares/nibble/values.tif' }, inputMaskRaster: { uri: '/fileShares/nibble/mask.tif' } };

  it('gives masked cells their nearest neighbour\'s value and keeps input NoData (PRESERVE_NODATA)', async () => {
    const results = await analysisResults(server, token, 'Nibble', { ...base, outputName: 'nibbled' });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/nibbled/ImageServer`);
    const rows = await readOutputRows(server, 'nibbled');
    expect(rows.map((row) => row[4])).toEqual([null, 31, 32, 33, 34]);
    expect(rows.map((row) => row[3])).toEqual([30, 31, 32, 33, 34]);
  });

  it('fills input NoData under the mask too with PROCESS_NODATA', async () => {
    await analysisResults(server, token, 'Nibble', { ...base, nibbleNodata: 'PROCESS_NODATA', nibbleValues: 'DATA_ONLY', outputName: 'nibbled_all' });
    const rows = await readOutputRows(server, 'nibbled_all');
    expect(rows.map((row) => row[4])).toEqual([30, 31, 32, 33, 34]);
  });

  it('fails with the inputs\' error when they cannot be read, GRASS (started beside the read) ended', async () => {
    await writeRaster(path.join(share, 'mask6.tif'), { ...spec, width: 6, value: () => 1 });
    const run = await runAnalysisJob(env, 'Nibble', { ...base, inputMaskRaster: { uri: '/fileShares/nibble/mask6.tif' }, outputName: 'nibbled_mismatch' });
    expect(run.status).toBe('esriJobFailed');
    expect(run.messages.join(' ')).toMatch(/'inputMaskRaster' must have the same cell size/);
    expect(processesMentioning(share)).toEqual([]);
  });
});
