import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, startJobsServer, type JobsTestServer } from '../fixtures/tasks/jobs-server.js';
import type { JobStatus } from '../helpers/answers.js';
import './page-globals.js';

/**
 * The Services Directory in headless Chromium against a real server with the quick demo: each
 * page kind loads without console errors, maps draw the service (Leaflet and Esri Leaflet
 * served by Tessera itself), clicks open popups, and job pages refresh until the job ends.
 * Screenshots are kept under test-results/directory-maps/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTEFACTS = path.resolve(import.meta.dirname, '../../test-results/directory-maps');
/** The map's own background (map-preview.css). */
const BACKGROUND = [238, 242, 245];

let server: JobsTestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startJobsServer({ config: { demo: true, demoPackages: false } });
  await server.waitForJob('/rest/services/Hosted/DemoImagery/ImageServer?f=json', (info) => info.bandCount === 3, 60_000).catch(() => undefined);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  await mkdir(ARTEFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a directory page, recording console errors and failed requests. */
async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => errors.push(`${request.url()} ${request.failure()?.errorText}`));
  await page.goto(url);
  return { page, errors };
}

async function waitForMap(page: Page): Promise<void> {
  await page.waitForFunction(() => window.tesseraMap?.ready === true, undefined, { timeout: 20_000 });
  await page.waitForTimeout(300);
}

/** Pixels of the map that are not its background: the drawn service. */
async function drawnPixels(page: Page, name: string): Promise<number> {
  const shot = await page.locator('#map-preview').screenshot({ type: 'png' });
  await writeFile(path.join(ARTEFACTS, `${name}.png`), shot);
  const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let drawn = 0;
  for (let i = 0; i < info.width * info.height * 3; i += 3) {
    if (Math.abs(data[i]! - BACKGROUND[0]!) + Math.abs(data[i + 1]! - BACKGROUND[1]!) + Math.abs(data[i + 2]! - BACKGROUND[2]!) > 30) drawn++;
  }
  return drawn;
}

async function clickAt(page: Page, lat: number, lng: number): Promise<void> {
  const point = await page.evaluate(([la, ln]) => window.tesseraMap!.map.latLngToContainerPoint([la, ln]), [lat, lng]);
  const box = (await page.locator('#map-preview').boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
}

describe('Services Directory pages in Chromium', () => {
  it('the root lists the services without console errors', async () => {
    const { page, errors } = await open(`${server.url}/rest/services?f=html`);
    await page.screenshot({ path: path.join(ARTEFACTS, 'directory-root.png'), fullPage: true });
    const hosted = await open(`${server.url}/rest/services/Hosted?f=html`);
    expect(await hosted.page.locator('a', { hasText: 'Hosted/WorldPlaces' }).count()).toBe(1);
    expect([...errors, ...hosted.errors]).toEqual([]);
    await page.close();
    await hosted.page.close();
  });

  it('a feature layer page maps the layer and opens a popup on click', async () => {
    const { page, errors } = await open(`${server.url}/rest/services/Hosted/WorldPlaces/FeatureServer/0?f=html`);
    await waitForMap(page);
    await page.waitForFunction(() => window.tesseraMap!.map.getZoom() >= 1);
    expect(await drawnPixels(page, 'feature-layer')).toBeGreaterThan(200);
    await clickAt(page, -33.8688, 151.2093); // Sydney, alone on its side of the map
    await page.locator('.leaflet-popup-content').waitFor({ timeout: 10_000 });
    expect(await page.locator('.leaflet-popup-content').innerText()).toContain('Sydney');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('labels and values stay side by side, also when values are empty', async () => {
    const { page } = await open(`${server.url}/rest/services/Hosted/WorldPlaces/FeatureServer/0?f=html`);
    const offsets = await page.evaluate(() =>
      [...document.querySelectorAll('main > dl > dt')].map((dt) => {
        const dd = dt.nextElementSibling as HTMLElement;
        return { label: dt.textContent, shift: Math.abs(dd.getBoundingClientRect().top - dt.getBoundingClientRect().top) };
      }),
    );
    expect(offsets.map((o) => o.label)).toEqual(expect.arrayContaining(['description:', 'copyrightText:', 'defaultVisibility:']));
    expect(offsets.filter((o) => o.shift > 2)).toEqual([]);
    await page.close();
  });

  it('an image service page maps the collection and identifies pixels on click', async () => {
    const { page, errors } = await open(`${server.url}/rest/services/Hosted/DemoImagery/ImageServer?f=html`);
    await waitForMap(page);
    expect(await drawnPixels(page, 'image-service')).toBeGreaterThan(20_000);
    const centre = await page.evaluate(() => window.tesseraMap!.map.getCenter());
    await clickAt(page, centre.lat, centre.lng);
    await page.locator('.leaflet-popup-content').waitFor({ timeout: 10_000 });
    expect(await page.locator('.leaflet-popup-content').innerText()).toMatch(/pixel\s+\d+ \d+ \d+/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a job page refreshes while the job runs and stops once it ends', async () => {
    const token = await server.token();
    const submitted = await server.post<JobStatus>(`${FIXTURES}/SleepUntilCancelled/submitJob`, { f: 'json', token });
    const jobPath = `${FIXTURES}/SleepUntilCancelled/jobs/${submitted.jobId}`;
    await server.waitForJob(`${jobPath}?f=json&token=${token}`, (job) => job.jobStatus === 'esriJobExecuting');
    const { page, errors } = await open(`${server.url}${jobPath}?f=html&token=${token}`);
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(1);
    expect(await page.locator('main').innerText()).toContain('esriJobExecuting');
    await page.screenshot({ path: path.join(ARTEFACTS, 'job-running.png'), fullPage: true });
    await server.post(`${jobPath}/cancel`, { f: 'json', token });
    await page.waitForFunction(() => document.body.innerText.includes('esriJobCancelled'), undefined, { timeout: 20_000 });
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTEFACTS, 'job-finished.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
