import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDemoFiles } from '../../src/demo/demo-packages.js';
import { REAL_DEMO } from '../../src/demo/real-demo.js';
import type { FeatureSet, FolderJson, IdentifyAnswer, ImageServiceJson, ServiceJson } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const run = promisify(execFile);
const ARTEFACTS = path.resolve(import.meta.dirname, '../../test-results/demo-maps');

/**
 * A fresh data directory with the demo on: the real content comes from Debian packages (fetched
 * with apt-get download), published and ingested by the same paths as a user's. Skipped, with
 * the reason, when the archive cannot be reached.
 */
let server: TestServer;
// A fresh data directory; whether Debian's archive answers here is learnt by fetching into its
// cache, where the server finds the packages on its first start.
const dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-demo-'));
const unreachable = await fetchDemoFiles(path.join(dataDir, 'cache', 'demo-packages')).then(
  () => null,
  (error: Error) => error.message,
);
if (unreachable) console.warn(`skipping the real demo tests: ${unreachable}`);

beforeAll(async () => {
  if (unreachable) return;
  server = await startTestServer({ dataDir, demo: true, demoPackages: true });
  await waitFor(async () => {
    const services = await server.get<FolderJson>('/rest/services/Hosted?f=json');
    const names = ((services.services ?? []) as Array<{ name: string }>).map((s) => s.name);
    return names.includes(`Hosted/${REAL_DEMO.landsat}`) && names.includes(`Hosted/${REAL_DEMO.elevation}`);
  }, 240_000);
}, 300_000);

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the demo did not appear in ${ms / 1000} s`);
}

describe.skipIf(unreachable !== null)('the real demo', () => {
  it('publishes the 470 Olinda census polygons, editable, and the 177 countries, read-only', async () => {
    const olinda = await server.get<unknown>(`/rest/services/Hosted/${REAL_DEMO.olinda}/FeatureServer/0/query?where=1%3D1&returnCountOnly=true&f=json`);
    expect(olinda).toEqual({ count: 470 });
    const olindaService = await server.get<ServiceJson>(`/rest/services/Hosted/${REAL_DEMO.olinda}/FeatureServer?f=json`);
    expect(olindaService.capabilities).toContain('Update');
    const countries = await server.get<unknown>(`/rest/services/Hosted/${REAL_DEMO.countries}/FeatureServer/0/query?where=1%3D1&returnCountOnly=true&f=json`);
    expect(countries).toEqual({ count: 177 });
    const brazil = await server.get<FeatureSet>(`/rest/services/Hosted/${REAL_DEMO.countries}/FeatureServer/0/query?where=${encodeURIComponent("iso_a3='BRA'")}&outFields=name,continent&returnGeometry=false&f=json`);
    expect(brazil.features[0].attributes).toMatchObject({ name: 'Brazil', continent: 'South America' });
    const countriesService = await server.get<ServiceJson>(`/rest/services/Hosted/${REAL_DEMO.countries}/FeatureServer?f=json`);
    expect(countriesService.capabilities).toBe('Query');
  });

  it('serves the Landsat scene with the pixel values of the source file, as natural colour', async () => {
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/${REAL_DEMO.landsat}/ImageServer?f=json`);
    expect(info).toMatchObject({ bandCount: 6, pixelType: 'U8' });
    const source = path.join(dataDir, 'cache', 'demo-packages', 'r-cran-stars', 'L7_ETMs.tif');
    const [x, y] = [290_000, 9_115_000];
    const expected = (await run('gdallocationinfo', ['-valonly', '-geoloc', source, String(x), String(y)])).stdout.trim().split(/\s+/).join(' ');
    const geometry = encodeURIComponent(JSON.stringify({ x, y, spatialReference: { wkid: 31985 } }));
    const identify = await server.get<IdentifyAnswer>(`/rest/services/Hosted/${REAL_DEMO.landsat}/ImageServer/identify?geometry=${geometry}&geometryType=esriGeometryPoint&returnCatalogItems=false&f=json`);
    expect(identify.value).toBe(expected);
    // Natural colour: the exported PNG of that one source pixel is red, green, blue = bands 3, 2, 1.
    const [col, row] = [Math.floor((x - info.extent.xmin) / 28.5), Math.floor((info.extent.ymax - y) / 28.5)];
    const [px, py] = [info.extent.xmin + col * 28.5, info.extent.ymax - row * 28.5];
    const bbox = [px + 1, py - 27.5, px + 27.5, py - 1].join(',');
    const png = await fetch(`${server.url}/rest/services/Hosted/${REAL_DEMO.landsat}/ImageServer/exportImage?bbox=${bbox}&size=1,1&format=png&f=image`);
    const { data } = await sharp(Buffer.from(await png.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    const bands = expected.split(' ').map(Number);
    expect([...data.subarray(0, 3)]).toEqual([bands[2], bands[1], bands[0]]);
  });

  it('serves the Olinda DEM as an elevation service that renders as a hillshade', async () => {
    const info = await server.get<ImageServiceJson>(`/rest/services/Hosted/${REAL_DEMO.elevation}/ImageServer?f=json`);
    expect(info).toMatchObject({ bandCount: 1, pixelType: 'F32' });
    const rule = encodeURIComponent(JSON.stringify({ rasterFunction: 'Hillshade' }));
    const { xmin, ymin, xmax, ymax } = info.extent;
    const response = await fetch(`${server.url}/rest/services/Hosted/${REAL_DEMO.elevation}/ImageServer/exportImage?bbox=${xmin},${ymin},${xmax},${ymax}&size=200,200&renderingRule=${rule}&format=png&f=image`);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(5000);
  });

  it('shows each demo service on a map in the services directory (Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    await mkdir(ARTEFACTS, { recursive: true });
    try {
      for (const target of [`${REAL_DEMO.landsat}/ImageServer`, `${REAL_DEMO.elevation}/ImageServer`, `${REAL_DEMO.olinda}/FeatureServer/0`, `${REAL_DEMO.countries}/FeatureServer/0`]) {
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        const errors: string[] = [];
        page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${server.url}/rest/services/Hosted/${target}?f=html`);
        await page.waitForFunction(() => (window as Window & { tesseraMap?: { ready?: boolean } }).tesseraMap?.ready === true, undefined, { timeout: 30_000 });
        await page.waitForTimeout(500);
        const shot = await page.locator('#map-preview').screenshot({ type: 'png' });
        await writeFile(path.join(ARTEFACTS, `${target.split('/')[0]}.png`), shot);
        const { data } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        let drawn = 0;
        for (let i = 0; i < data.length; i += 3) if (Math.abs(data[i]! - 238) + Math.abs(data[i + 1]! - 242) + Math.abs(data[i + 2]! - 245) > 30) drawn++;
        expect(drawn, target).toBeGreaterThan(20_000);
        expect(errors, target).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });

  it('is made once, and the packages are kept in the data directory cache', async () => {
    expect(await server.context.stores.settings.get('demo.packages.created')).toBeTruthy();
    const hosted = await server.get<FolderJson>('/rest/services/Hosted?f=json');
    expect(hosted.services.filter((s: { name: string }) => s.name.startsWith('Hosted/Olinda')).length).toBe(3);
  });
});
