import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { postForm, serveProcess, type ServedProcess } from '../helpers/serve-process.js';
import { readJson, type ErrorAnswer, type JobStatus, type SuccessAnswer } from '../helpers/answers.js';
import type { TokenAnswer } from '../helpers/test-server.js';

const PASSWORD = 'crash-test-password';

function tifsBelow(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tif')) : [];
}

describe('a server killed with SIGKILL in the middle of an ingest', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-crash-'));
  const share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
  let running: ServedProcess | undefined;
  afterAll(() => {
    running?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(share, { recursive: true, force: true });
  });

  it('leaves no collection, service, item or file once restarted', async () => {
    const { utmRgb } = await makeGeoTiffs(share);
    const source = await gdal.openAsync(utmRgb.path);
    for (let i = 0; i < 12; i++) await gdal.translateAsync(path.join(share, `big-${i}.tif`), source, ['-outsize', '2400', '1800']);
    source.close();
    rmSync(utmRgb.path);

    running = await serveProcess(dataDir, PASSWORD);
    const token = (await postForm<TokenAnswer>(`${running.url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
    const registered = await postForm<SuccessAnswer>(`${running.url}/admin/data/registerItem`, { item: JSON.stringify({ path: '/fileShares/share', type: 'folder', info: { path: share } }), f: 'json', token });
    expect(registered.status).toBe('success');
    const submitted = await postForm<JobStatus>(`${running.url}/rest/services/System/RasterAnalysisTools/GPServer/CreateImageCollection/submitJob`, {
      inputRasters: JSON.stringify({ uri: '/share' }),
      imageCollection: 'crashed',
      rasterType: 'Raster Dataset',
      context: JSON.stringify({ outSR: { wkid: 3857 }, parallelProcessingFactor: 1 }),
      f: 'json',
      token,
    });
    expect(submitted.jobId).toBeTruthy();
    const store = path.join(dataDir, 'rasters', 'crashed');
    const deadline = Date.now() + 60_000;
    while (tifsBelow(store).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(tifsBelow(store).length).toBeGreaterThan(0);

    running.child.kill('SIGKILL');
    await new Promise((resolve) => running!.child.once('exit', resolve));
    running = await serveProcess(dataDir, PASSWORD);
    const fresh = (await postForm<TokenAnswer>(`${running.url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
    const jobUrl = `${running.url}/rest/services/System/RasterAnalysisTools/GPServer/CreateImageCollection/jobs/${submitted.jobId}?f=json&returnMessages=true&token=${fresh}`;
    let job: JobStatus | undefined;
    for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
      job = await readJson<JobStatus>(await fetch(jobUrl));
      if (job.jobStatus === 'esriJobFailed') break;
    }
    expect(job!.jobStatus).toBe('esriJobFailed');
    expect(job!.messages.map((m) => m.description).join(' ')).toMatch(/restarted/);
    expect(tifsBelow(store)).toEqual([]);
    expect(existsSync(store)).toBe(false);
    const info = await readJson<ErrorAnswer>(await fetch(`${running.url}/rest/services/Hosted/crashed/ImageServer?f=json&token=${fresh}`));
    expect(info.error!.code).toBe(404);
    const items = await readJson<{ results?: unknown[] }>(await fetch(`${running.url}/sharing/rest/search?q=crashed&f=json&token=${fresh}`));
    expect(items.results ?? []).toEqual([]);
    expect(readdirSync(share).filter((f) => f.startsWith('big-'))).toHaveLength(12);
  });
});
