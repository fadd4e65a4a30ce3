import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { makeOverlapImages, publishTestCollection } from '../http/image-render-collection.js';
import './page-globals.js';

/**
 * Esri Leaflet's imageMapLayer in headless Chromium against a real server: the page and its
 * scripts come from node_modules through Playwright's request interception (no internet here),
 * on the server's own origin (`/app/`, never reaching it) so Chromium's private-network rules
 * let the page call the loopback server; the imagery comes from the server.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const require = createRequire(import.meta.url);

let server: TestServer;
let dir: string;
let browser: Browser;
/** In WGS84: the collection's centre, a point in image A (red), and one in a gap between the images. */
let centre: { lat: number; lng: number };
let inA: { lat: number; lng: number };
let outside: { lat: number; lng: number };

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'render-browser-'));
  const images = await makeOverlapImages(dir);
  await publishTestCollection(server, 'leaflet', 32611, [
    { path: images.a, name: 'A' },
    { path: images.b, name: 'B' },
    { path: images.c, name: 'C' },
  ]);
  const toWgs84 = new gdal.CoordinateTransformation(gdal.SpatialReference.fromEPSG(32611), gdal.SpatialReference.fromEPSG(4326));
  // EPSG:4326 is latitude first in GDAL 3.
  const wgs84 = (x: number, y: number) => {
    const p = toWgs84.transformPoint(x, y);
    return { lat: p.x, lng: p.y };
  };
  centre = wgs84(500225, 4100135);
  inA = wgs84(500060, 4100240);
  outside = wgs84(500030, 4100010);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function openMap(layerOptions: Record<string, unknown>): Promise<{ page: Page; screenshot: Buffer }> {
  const page = await browser.newPage({ viewport: { width: 512, height: 400 } });
  const files: Record<string, [string, string]> = {
    '/leaflet.js': [require.resolve('leaflet/dist/leaflet.js'), 'application/javascript'],
    '/leaflet.css': [require.resolve('leaflet/dist/leaflet.css'), 'text/css'],
    '/esri-leaflet.js': [require.resolve('esri-leaflet/dist/esri-leaflet.js'), 'application/javascript'],
  };
  const app = `${server.url}/app`;
  await page.route(`${app}/**`, async (route) => {
    const pathname = new URL(route.request().url()).pathname.replace(/^.*\/app/, '');
    if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
    const file = files[pathname];
    if (!file) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ contentType: file[1], body: await readFile(file[0]) });
  });
  await page.goto(`${app}/`);
  const url = `${server.url}/rest/services/Hosted/leaflet/ImageServer`;
  await page.evaluate(
    ({ url, centre, options }) =>
      new Promise<void>((resolve, reject) => {
        const w = window;
        w.map = w.L.map('map', { zoomAnimation: false, fadeAnimation: false }).setView([centre.lat, centre.lng], 17);
        const layer = w.L.esri.imageMapLayer({ url, ...options }).addTo(w.map);
        layer.once('load', () => resolve());
        layer.once('requesterror', () => reject(new Error('exportImage request failed')));
        setTimeout(() => reject(new Error('imageMapLayer did not load')), 15_000);
      }),
    { url, centre, options: layerOptions },
  );
  return { page, screenshot: await page.screenshot({ type: 'png' }) };
}

/** The screenshot's RGB at a map location. */
async function colourAt(page: Page, screenshot: Buffer, at: { lat: number; lng: number }): Promise<number[]> {
  const { x, y } = await page.evaluate((p) => window.map.latLngToContainerPoint([p.lat, p.lng]), at);
  const { data, info } = await sharp(screenshot).raw().toBuffer({ resolveWithObject: true });
  const i = (Math.round(y) * info.width + Math.round(x)) * info.channels;
  return [data[i], data[i + 1], data[i + 2]];
}

describe('Esri Leaflet imageMapLayer', () => {
  it('draws the collection where it is and leaves the rest of the map alone (f=image)', async () => {
    const { page, screenshot } = await openMap({});
    const [r, g, b] = await colourAt(page, screenshot, inA);
    expect(r).toBeGreaterThan(180); // A is red: 200…239, 60…99, 40…79
    expect(g).toBeLessThan(120);
    expect(b).toBeLessThan(100);
    // Where no image is, the layer is transparent: Leaflet's grey map background shows.
    expect(await colourAt(page, screenshot, outside)).toEqual([221, 221, 221]);
    const { data } = await sharp(screenshot).raw().toBuffer({ resolveWithObject: true });
    expect(new Set(Array.from(data.subarray(0, 40_000))).size).toBeGreaterThan(10); // not blank
    await page.close();
  });

  it('follows bandIds and fetches the image from the href of f=json', async () => {
    const { page, screenshot } = await openMap({ f: 'json', bandIds: [2, 1, 0] });
    const [r, , b] = await colourAt(page, screenshot, inA);
    expect(b).toBeGreaterThan(180); // red shown as blue
    expect(r).toBeLessThan(100);
    await page.close();
  });
});

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="leaflet.css">
<style>html,body,#map{margin:0;height:100%;width:100%}</style>
<script src="leaflet.js"></script><script src="esri-leaflet.js"></script>
</head><body><div id="map"></div></body></html>`;
