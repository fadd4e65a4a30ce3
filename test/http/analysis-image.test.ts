import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meanShiftArgs } from '../../src/tasks/analysis/segment.js';
import { fetchStarsFile } from '../fixtures/raster/fetch-stars-file.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { readOutputRows, readRows, runAnalysisJob } from './analysis-engines-http.js';
import { registerFileShare } from './imagery-http.js';

let server: TestServer;
let share: string;
let token: string;
let landsat: string | null = null;

beforeAll(async () => {
  const fetched = await fetchStarsFile('L7_ETMs.tif');
  if (!fetched.path) return;
  server = await startTestServer();
  token = await server.token();
  share = mkdtempSync(path.join(tmpdir(), 'tessera-image-'));
  landsat = path.join(share, 'L7_ETMs.tif');
  copyFileSync(fetched.path, landsat);
  await registerFileShare(server, 'olinda', share, token);
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (share) rmSync(share, { recursive: true, force: true });
});

describe('image analysis on the Olinda Landsat 7 scene, over HTTP with arcgis-rest-js Job', () => {
  it('Segment paints the segments OTB LargeScaleMeanShift finds, run directly, with their mean colours', async (t) => {
    if (!landsat) return t.skip();
    const inputs = { spectralDetail: 15.5, spatialDetail: 15, minimumSegmentSizeInPixels: 20, bandIndexes: '3,2,1' };
    const results = await runAnalysisJob(server, token, 'Segment', { inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' }, outputName: 'segments', ...inputs });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/segments/ImageServer`);
    // The engine alone on the same bands and settings.
    const vrt = path.join(share, 'bands.vrt');
    execFileSync('gdal_translate', ['-q', '-of', 'VRT', '-b', '4', '-b', '3', '-b', '2', landsat, vrt]);
    const labelsFile = path.join(share, 'labels.tif');
    execFileSync('otbcli_LargeScaleMeanShift', ['-in', vrt, ...meanShiftArgs(inputs), '-mode', 'raster', '-mode.raster.out', labelsFile, 'uint32', '-cleanup', '1'], { stdio: 'ignore' });
    const labels = readRows(labelsFile).flat();
    const red = readRows(vrt).flat();
    const painted = (await readOutputRows(server, 'segments')).flat();
    expect(painted.length).toBe(349 * 352);
    // Every OTB segment is one colour, its pixels' mean.
    const sums = new Map<number, { sum: number; n: number; colour: number | null }>();
    labels.forEach((label, i) => {
      const entry = sums.get(label!) ?? { sum: 0, n: 0, colour: painted[i]! };
      entry.sum += red[i]!;
      entry.n++;
      expect(painted[i]).toBe(entry.colour);
      sums.set(label!, entry);
    });
    expect(sums.size).toBeGreaterThan(50);
    for (const { sum, n, colour } of sums.values()) expect(Math.abs(colour! - sum / n)).toBeLessThanOrEqual(0.5 + 1e-9);
  }, 180_000);
});
