import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page, Request } from 'playwright-core';
import './page-globals.js';

/**
 * The ArcGIS Maps SDK for JavaScript (`@arcgis/core`) in headless Chromium against a real server.
 * The SDK is bundled once with esbuild from node_modules (no CDN: no internet here) and served,
 * with its assets (workers, LERC wasm, translations), through Playwright's request interception on
 * the server's own origin under `/app/` — which never reaches the server — so Chromium's
 * private-network rules let the page call the loopback server. Every other request is recorded.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const require = createRequire(import.meta.url);
// Which SDK: TESSERA_ARCGIS_CORE_PACKAGE names an installed package (`@arcgis/core-5`, the 5.x
// dev dependency the vitest project `arcgis-core-5` uses), TESSERA_ARCGIS_CORE another
// node_modules folder holding @arcgis/core; the 4.x dev dependency otherwise.
const CORE_DIR = process.env.TESSERA_ARCGIS_CORE
  ? path.join(process.env.TESSERA_ARCGIS_CORE, '@arcgis', 'core')
  : path.dirname(require.resolve(`${process.env.TESSERA_ARCGIS_CORE_PACKAGE ?? '@arcgis/core'}/package.json`));
export const CORE_VERSION = (require(path.join(CORE_DIR, 'package.json')) as { version: string }).version;

// What the pages use, on `window.arcgis` (typed as ArcgisSdk in page-globals.ts).
const ENTRY = `
import esriConfig from '@arcgis/core/config.js';
import EsriMap from '@arcgis/core/Map.js';
import MapView from '@arcgis/core/views/MapView.js';
import FeatureLayer from '@arcgis/core/layers/FeatureLayer.js';
import ImageryLayer from '@arcgis/core/layers/ImageryLayer.js';
import ImageryTileLayer from '@arcgis/core/layers/ImageryTileLayer.js';
import RasterFunction from '@arcgis/core/layers/support/RasterFunction.js';
import MosaicRule from '@arcgis/core/layers/support/MosaicRule.js';
import Graphic from '@arcgis/core/Graphic.js';
import Point from '@arcgis/core/geometry/Point.js';
import Extent from '@arcgis/core/geometry/Extent.js';
import IdentityManager from '@arcgis/core/identity/IdentityManager.js';
import * as reactiveUtils from '@arcgis/core/core/reactiveUtils.js';
import summaryStatistics from '@arcgis/core/smartMapping/statistics/summaryStatistics.js';
import uniqueValues from '@arcgis/core/smartMapping/statistics/uniqueValues.js';
import histogram from '@arcgis/core/smartMapping/statistics/histogram.js';
import * as colorRendererCreator from '@arcgis/core/smartMapping/renderers/color.js';
import Legend from '@arcgis/core/widgets/Legend.js';
window.arcgis = { esriConfig, Map: EsriMap, MapView, FeatureLayer, ImageryLayer, ImageryTileLayer, RasterFunction, MosaicRule, Graphic, Point, Extent, IdentityManager, reactiveUtils, summaryStatistics, uniqueValues, histogram, colorRendererCreator, Legend };
window.arcgisReady = true;
`;

/** Bundles the SDK entry (once per @arcgis/core version) and returns the folder of ES modules. */
export async function bundleArcgisSdk(): Promise<string> {
  const root = path.resolve(CORE_DIR, '..', '..', '.cache', `tessera-arcgis-core-${CORE_VERSION}`);
  if (existsSync(path.join(root, 'entry.js'))) return root;
  // Build beside and rename, so concurrent test files never see half a bundle.
  const scratch = `${root}.${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  await build({
    stdin: { contents: ENTRY, resolveDir: path.dirname(CORE_DIR), loader: 'js', sourcefile: 'entry.js' },
    alias: { '@arcgis/core': CORE_DIR },
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    outdir: scratch,
    entryNames: 'entry',
    logLevel: 'silent',
  });
  try {
    await rename(scratch, root);
  } catch {
    await rm(scratch, { recursive: true, force: true }); // another process won the race
  }
  return root;
}

/** One request the SDK sent to the server, with what came back. */
export interface SdkRequest {
  method: string;
  url: string;
  /** Path below the server's base URL, without the query. */
  path: string;
  params: URLSearchParams;
  status: number;
  contentType: string;
  /** For JSON answers: the parsed body. */
  json?: unknown;
  /** For JSON answers with an ArcGIS error envelope: the error. */
  error?: { code?: number; message?: string; details?: string[] };
}

export interface SdkPage {
  page: Page;
  /** Every request the SDK sent to the server (not to /app), in order of completion. */
  requests: SdkRequest[];
  /** Requests that failed at the network level, or went elsewhere than the server. */
  failures: string[];
  /** Errors the page logged (console.error and uncaught exceptions). */
  pageErrors: string[];
  /** Error answers: HTTP ≥ 400 (tiles excepted if allowed), ArcGIS error envelopes, failures. */
  errorAnswers(options?: { allowMissingTiles?: boolean }): string[];
  /** Waits until every finished request is recorded (their bodies are read asynchronously). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const MIME: Record<string, string> = { '.js': 'application/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.woff': 'font/woff' };

/**
 * A page with the SDK loaded (`window.arcgis`) and `esriConfig` pointed at the served assets.
 * `serverUrl` is the server's base URL (…/arcgis).
 */
export async function openSdkPage(browser: Browser, serverUrl: string, viewport = { width: 512, height: 512 }): Promise<SdkPage> {
  const bundle = await bundleArcgisSdk();
  const page = await browser.newPage({ viewport });
  const app = `${serverUrl}/app`;
  const origin = new URL(serverUrl).origin;
  const requests: SdkRequest[] = [];
  const failures: string[] = [];
  const pageErrors: string[] = [];

  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${app}/`)) return serveApp(route, url.slice(app.length), bundle);
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    failures.push(`outside request: ${url}`);
    return route.abort();
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(serverUrl) && !request.url().startsWith(app)) failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('requestfinished', (request) => void record(request));
  const pending = new Set<Promise<void>>();
  const record = (request: Request) => {
    const url = request.url();
    if (!url.startsWith(serverUrl) || url.startsWith(app)) return;
    const done = (async () => {
      const response = await request.response();
      if (!response) return;
      const parsed = new URL(url);
      const params = new URLSearchParams(parsed.search);
      const body = request.postData();
      if (body && /x-www-form-urlencoded/.test(request.headers()['content-type'] ?? '')) new URLSearchParams(body).forEach((v, k) => params.append(k, v));
      const contentType = response.headers()['content-type'] ?? '';
      const entry: SdkRequest = { method: request.method(), url, path: parsed.pathname.slice(new URL(serverUrl).pathname.length), params, status: response.status(), contentType };
      if (/json|javascript/.test(contentType)) {
        try {
          const text = await response.text();
          entry.json = JSON.parse(text.replace(/^[\w$.]+\(([\s\S]*)\);?$/, '$1'));
          const error = (entry.json as { error?: SdkRequest['error'] }).error;
          if (error) entry.error = error;
        } catch {
          // bodies of redirects and the like
        }
      }
      requests.push(entry);
    })();
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  await page.goto(`${app}/`, { timeout: 120_000 });
  await page.waitForFunction(() => window.arcgisReady === true, undefined, { timeout: 60_000 });
  await page.evaluate((assets) => {
    const { esriConfig } = window.arcgis;
    esriConfig.assetsPath = assets;
    esriConfig.request.timeout = 30_000;
  }, `${app}/assets`);

  return {
    page,
    requests,
    failures,
    pageErrors,
    errorAnswers: ({ allowMissingTiles = false } = {}) => [
      ...failures,
      ...requests
        .filter((r, i) => !isTokenChallenge(r, requests.slice(i + 1)))
        .filter((r) => r.error || (r.status >= 400 && !(allowMissingTiles && r.status === 404 && /\/tile\/\d+\/\d+\/\d+$/.test(r.path))))
        .map((r) => `${r.method} ${r.path}?${r.params} → ${r.status} ${r.error ? JSON.stringify(r.error) : ''}`),
    ],
    settle: async () => {
      while (pending.size) await Promise.all(pending);
    },
    close: async () => {
      while (pending.size) await Promise.all(pending);
      await page.close();
    },
  };
}

/**
 * The SDK's sign-in handshake: it asks a secured resource without a token, gets 499 "Token
 * Required" (as from ArcGIS), and asks again with the token IdentityManager holds. Not an error
 * when a later request for the same resource succeeded.
 */
function isTokenChallenge(request: SdkRequest, later: SdkRequest[]): boolean {
  if (request.error?.code !== 499 || request.params.has('token')) return false;
  return later.some((r) => r.path === request.path && !r.error && r.status < 400 && r.params.has('token'));
}

async function serveApp(route: import('playwright-core').Route, relative: string, bundle: string): Promise<void> {
  const pathname = relative.split('?')[0];
  if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
  let file: string | undefined;
  if (pathname.startsWith('/js/')) file = path.join(bundle, path.normalize(pathname.slice(4)));
  else if (pathname.startsWith('/assets/')) file = path.join(CORE_DIR, 'assets', path.normalize(decodeURIComponent(pathname.slice(8))));
  if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
  return route.fulfill({ contentType: MIME[path.extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="assets/esri/themes/light/main.css">
<style>html,body,#view{margin:0;height:100%;width:100%}</style>
<script type="module" src="js/entry.js"></script>
</head><body><div id="view"></div></body></html>`;

/** The screenshot MapView.takeScreenshot() gives, as raw RGBA with its size. */
export async function viewScreenshot(page: Page): Promise<{ data: Uint8Array; width: number; height: number }> {
  return page.evaluate(async () => {
    const shot = await window.view.takeScreenshot({ format: 'png' });
    return { data: Array.from(shot.data.data), width: shot.data.width, height: shot.data.height };
  }).then((s) => ({ data: Uint8Array.from(s.data), width: s.width, height: s.height }));
}

/** How many pixels of a screenshot are painted (alpha > 0 and not the page's white). */
export function paintedPixels(shot: { data: Uint8Array }): number {
  let n = 0;
  for (let i = 0; i < shot.data.length; i += 4) {
    const [r, g, b, a] = [shot.data[i], shot.data[i + 1], shot.data[i + 2], shot.data[i + 3]];
    if (a > 0 && !(r === 255 && g === 255 && b === 255)) n++;
  }
  return n;
}
