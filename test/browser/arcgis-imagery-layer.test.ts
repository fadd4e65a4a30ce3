import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type ImageryLayer from '@arcgis/core-5/layers/ImageryLayer.js';
import type ImageryTileLayer from '@arcgis/core-5/layers/ImageryTileLayer.js';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORIGIN, demoPixel } from '../../src/imagery/demo.js';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { ImageServiceJson } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare, runJob } from '../http/imagery-http.js';
import { CHROMIUM, CHROMIUM_ARGS, openSdkPage, paintedPixels, viewScreenshot, type SdkPage } from './arcgis-sdk.js';
import './page-globals.js';

/**
 * The ArcGIS Maps SDK for JavaScript's ImageryLayer against the server: the demo collection (RGB,
 * drawn by the server as JPEG/PNG) and a one-band Float32 DEM in EPSG:4326 made by
 * CreateImageCollection (drawn by the SDK from LERC). Every request the SDK sends is recorded and
 * none may be answered with an error.
 */
let server: TestServer;
let browser: Browser;
let dir: string;
const DEM = { x0: 8, y0: 46.064, pixel: 0.001, size: 64 };
/** The DEM's value at a pixel: exact in Float32, so identify can be compared as is. */
const demValue = (col: number, row: number) => 100 + col * 2 + row;
/** An RGB collection in UTM 33N, a colour per quadrant: where each colour lands on screen shows the tiles are placed right. */
const UTM = { x0: 500_000, y0: 5_200_000, pixel: 10, size: 64 };
const QUADRANTS = [[[220, 40, 40], [40, 200, 40]], [[40, 40, 220], [230, 220, 40]]];
const utmColour = (col: number, row: number) => QUADRANTS[row < UTM.size / 2 ? 0 : 1]![col < UTM.size / 2 ? 0 : 1]!;

beforeAll(async () => {
  server = await startTestServer({ demo: true });
  dir = await mkdtemp(path.join(tmpdir(), 'arcgis-imagery-'));
  await writeRaster(path.join(dir, 'dem.tif'), {
    width: DEM.size, height: DEM.size, dataType: 'Float32', srs: 'EPSG:4326', noData: -9999,
    geoTransform: [DEM.x0, DEM.pixel, 0, DEM.y0, 0, -DEM.pixel], value: demValue,
  });
  await writeRaster(path.join(dir, 'utm.tif'), {
    width: UTM.size, height: UTM.size, bands: 3, srs: 'EPSG:32633',
    geoTransform: [UTM.x0, UTM.pixel, 0, UTM.y0, 0, -UTM.pixel], value: (c, r, b) => utmColour(c, r)[b - 1]!,
  });
  const token = await server.token();
  await registerFileShare(server, 'share', dir, token);
  for (const [name, file, wkid] of [['sdkdem', 'dem.tif', 4326], ['sdkutm', 'utm.tif', 32633]] as const) {
    const job = await runJob(server, 'CreateImageCollection', {
      inputRasters: { uris: [`/share/${file}`] },
      imageCollection: { serviceProperties: { name } },
      rasterType: { rasterTypeName: 'Raster Dataset' },
      context: { outSR: { wkid } },
    }, token);
    expect(job.jobStatus, JSON.stringify(job.messages)).toBe('esriJobSucceeded');
    await server.context.stores.services.update('Hosted', name, 'ImageServer', { access: 'public' });
  }
  for (let i = 0; i < 240 && (await server.get<ImageServiceJson>('/rest/services/Hosted/DemoImagery/ImageServer?f=json')).error; i++) await new Promise((r) => setTimeout(r, 500));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Opens a MapView with one ImageryLayer (or ImageryTileLayer) over the service, zoomed to its
 * extent, and waits until drawn. The view is in the layer's SR unless `viewWkid` is given: then
 * the view is made ready in that SR before the layer is added, as with a basemap. A view whose
 * SR is forced and whose only layer is in another SR needs that layer's extent projected before
 * it is ready, and the SDK does it with whichever loads first, its projection engine or the
 * geometry service at utility.arcgisonline.com (`esriConfig.geometryServiceUrl`); offline the
 * service call fails and the view never becomes ready, which is how these cases used to hang.
 */
async function showLayer(name: string, options: Record<string, unknown> = {}, type: 'ImageryLayer' | 'ImageryTileLayer' = 'ImageryLayer', viewWkid?: number): Promise<SdkPage> {
  const sdk = await openSdkPage(browser, server.url);
  await sdk.page.evaluate(DRAWN);
  await sdk.page.evaluate(
    async ({ url, options, type, viewWkid }) => {
      const a = window.arcgis;
      const bounded = window.bounded;
      const layer = new a[type]({ url, ...options });
      const map = new a.Map({ layers: viewWkid ? [] : [layer] });
      const view = new a.MapView({ container: 'view', map, ...(viewWkid ? { spatialReference: { wkid: viewWkid }, extent: { xmin: -1e6, ymin: -1e6, xmax: 1e6, ymax: 1e6, spatialReference: { wkid: viewWkid } } } : {}) });
      Object.assign(window, { view, layer });
      await bounded(layer.load(), 'layer.load()');
      await bounded(view.when(), 'view.when()');
      if (viewWkid) map.add(layer);
      // goTo projects the layer's extent with the SDK's own projection engine.
      await bounded(view.goTo(layer.fullExtent!), 'view.goTo()');
      await window.drawn();
    },
    { url: `${server.url}/rest/services/Hosted/${name}/ImageServer`, options, type, viewWkid },
  );
  await sdk.settle();
  return sdk;
}

/**
 * `window.bounded(promise, what)`: the promise, or an error naming what did not finish in time.
 * `window.drawn()`: resolves once the view and the layer view have stopped updating for half a
 * second (the layer view is briefly idle before its first fetch starts); fails after two minutes
 * (the machine may be loaded) instead of hanging.
 */
const DRAWN = `window.bounded = (promise, what, ms = 120000) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(what + ' did not finish in ' + ms + ' ms: ' + window.viewState())), ms)),
]);
window.viewState = () => {
  const { view, layer } = window;
  return JSON.stringify({
    view: view && { ready: view.ready, updating: view.updating, sr: view.spatialReference?.wkid, center: view.center?.toJSON(), scale: view.scale, fatalError: String(view.fatalError ?? '') },
    layer: layer && { loaded: layer.loaded, loadError: String(layer.loadError ?? ''), sr: layer.spatialReference?.wkid },
  });
};
window.drawn = async () => {
  const { view, layer } = window;
  const layerView = await window.bounded(view.whenLayerView(layer), 'view.whenLayerView()');
  const deadline = Date.now() + 120000;
  for (let quiet = 0; quiet < 5; ) {
    if (Date.now() > deadline) throw new Error('still updating after 120 s: view.updating ' + view.updating + ', layerView.updating ' + layerView.updating);
    await new Promise((r) => setTimeout(r, 100));
    quiet = view.updating || layerView.updating ? 0 : quiet + 1;
  }
}`;

/** Waits for the layer to draw again after a change. */
async function redrawn(sdk: SdkPage): Promise<void> {
  await sdk.page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 300));
    await window.drawn();
  });
  await sdk.settle();
}

async function expectNoErrors(sdk: SdkPage, allowMissingTiles = false): Promise<void> {
  await sdk.settle();
  expect(sdk.errorAnswers({ allowMissingTiles })).toEqual([]);
  expect(sdk.pageErrors).toEqual([]);
}

describe('ArcGIS Maps SDK for JavaScript: ImageryLayer', () => {
  it('loads and draws the demo collection, identifies the source pixel, switches a rendering rule, shows a legend', async () => {
    const sdk = await showLayer('DemoImagery');
    const shot = await viewScreenshot(sdk.page);
    expect(paintedPixels(shot)).toBeGreaterThan(shot.width * shot.height * 0.5);
    const [gx, gy] = [100, 150];
    const identified = await sdk.page.evaluate(async (at) => {
      const a = window.arcgis;
      const layer = window.layer as ImageryLayer;
      const result = await layer.identify({ geometry: new a.Point({ x: at.x, y: at.y, spatialReference: { wkid: 3857 } }) });
      return result.value as string;
    }, { x: DEMO_ORIGIN.x + (gx + 0.5) * DEMO_ORIGIN.pixel, y: DEMO_ORIGIN.y - (gy + 0.5) * DEMO_ORIGIN.pixel });
    expect(identified).toMatch(/^\d+ \d+ \d+$/); // ArcGIS joins band values with spaces
    // The generated tile's values, to the error of the JPEG COG CreateImageCollection stores.
    const source = demoPixel(gx, gy);
    identified.split(' ').map(Number).forEach((v, b) => expect(Math.abs(v - source[b]!), `${identified} for ${source}`).toBeLessThan(8));
    await sdk.page.evaluate(() => {
      const arcgis = window.arcgis;
      const layer = window.layer as ImageryLayer;
      layer.rasterFunction = new arcgis.RasterFunction({ functionName: 'ExtractBand', functionArguments: { BandIDs: [0] } });
    });
    await redrawn(sdk);
    const ruled = await viewScreenshot(sdk.page);
    expect(paintedPixels(ruled)).toBeGreaterThan(ruled.width * ruled.height * 0.5);
    expect(Buffer.compare(Buffer.from(shot.data), Buffer.from(ruled.data))).not.toBe(0);
    expect(sdk.requests.some((r) => r.path.endsWith('/exportImage') && /ExtractBand/.test(r.params.get('renderingRule') ?? ''))).toBe(true);
    await sdk.page.evaluate(async () => {
      const { view, arcgis } = window;
      const legend = new arcgis.Legend({ view, container: document.createElement('div') });
      await arcgis.reactiveUtils.whenOnce(() => legend.activeLayerInfos.length > 0);
      await new Promise((r) => setTimeout(r, 1500));
    });
    const paths = sdk.requests.map((r) => r.path.replace(/^\/rest\/services\/Hosted\/DemoImagery\/ImageServer/, ''));
    expect(paths).toEqual(expect.arrayContaining(['', '/rasterFunctionInfos', '/keyProperties', '/exportImage', '/identify', '/legend']));
    await expectNoErrors(sdk);
    await sdk.close();
  }, 300_000);

  it('draws a DEM made by CreateImageCollection from LERC, identifies the source value, switches rendering rules', async () => {
    const sdk = await showLayer('sdkdem', { format: 'lerc' });
    const exports = sdk.requests.filter((r) => r.path.endsWith('/exportImage'));
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((r) => r.params.get('format') === 'lerc')).toBe(true);
    const before = await viewScreenshot(sdk.page);
    expect(paintedPixels(before)).toBeGreaterThan(before.width * before.height * 0.2);

    const [col, row] = [10, 20];
    const value = await sdk.page.evaluate(async (at) => {
      const arcgis = window.arcgis;
      const layer = window.layer as ImageryLayer;
      const result = await layer.identify({ geometry: new arcgis.Point({ x: at.x, y: at.y, spatialReference: { wkid: 4326 } }) });
      return result.value as string;
    }, { x: DEM.x0 + (col + 0.5) * DEM.pixel, y: DEM.y0 - (row + 0.5) * DEM.pixel });
    expect(Number(value)).toBe(demValue(col, row));

    await sdk.page.evaluate(() => {
      const arcgis = window.arcgis;
      const layer = window.layer as ImageryLayer;
      layer.rasterFunction = new arcgis.RasterFunction({ functionName: 'Hillshade', functionArguments: { Azimuth: 315, Altitude: 45, ZFactor: 10000 } });
    });
    await redrawn(sdk);
    const after = await viewScreenshot(sdk.page);
    expect(paintedPixels(after)).toBeGreaterThan(after.width * after.height * 0.2);
    expect(Buffer.compare(Buffer.from(before.data), Buffer.from(after.data))).not.toBe(0);
    expect(sdk.requests.some((r) => r.path.endsWith('/exportImage') && /Hillshade/.test(r.params.get('renderingRule') ?? ''))).toBe(true);
    // The SDK reads keyProperties again with the rule: they describe the Hillshade's output.
    const keys = sdk.requests.filter((r) => r.path.endsWith('/keyProperties'));
    expect(keys.find((r) => !r.params.get('renderingRule'))?.json).toMatchObject({ DataType: 'Generic' });
    expect(keys.find((r) => /Hillshade/.test(r.params.get('renderingRule') ?? ''))?.json).toMatchObject({ DataType: 'Processed' });
    await expectNoErrors(sdk);
    await sdk.close();
  }, 300_000);

  it('follows a mosaic rule, applies a pixel filter to LERC pixels, fills a popup from identify, computes statistics and histograms', async () => {
    const sdk = await showLayer('sdkdem', { format: 'lerc', popupTemplate: { title: 'DEM', content: '{Raster.ServicePixelValue}' } });
    const [col, row] = [30, 40];
    const result = await sdk.page.evaluate(async (at) => {
      const { view, arcgis: a } = window;
      const layer = window.layer as ImageryLayer;
      layer.mosaicRule = new a.MosaicRule({ method: 'lock-raster', lockRasterIds: [1] });
      await window.drawn();
      // Everything above the threshold turns red: the SDK runs this on the decoded LERC block.
      layer.pixelFilter = (data) => {
        const block = data.pixelBlock;
        if (!block) return;
        const values = block.pixels[0];
        const n = block.width * block.height;
        const [r, g, b] = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
        for (let i = 0; i < n; i++) r[i] = values[i] > 200 ? 255 : 0;
        block.pixels = [r, g, b];
        block.pixelType = 'u8';
        block.statistics = [{ minValue: 0, maxValue: 255 }, { minValue: 0, maxValue: 255 }, { minValue: 0, maxValue: 255 }];
      };
      await new Promise((r) => setTimeout(r, 300));
      await window.drawn();
      const point = new a.Point({ x: at.x, y: at.y, spatialReference: { wkid: 4326 } });
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('popup timed out')), 30_000));
      await Promise.race([view.openPopup({ location: point }), timeout]);
      const fetched = await Promise.race([view.popup!.fetchFeatures(view.toScreen(point)!), timeout]);
      const graphics = await Promise.race([fetched.allGraphicsPromise, timeout]);
      // What the SDK's histogram and statistics widgets ask for an area.
      const area = { geometry: layer.fullExtent };
      const computed = await layer.computeStatisticsHistograms(area);
      const histograms = await layer.computeHistograms(area);
      return {
        popup: graphics.map((g) => (g.attributes as Record<string, unknown> | null | undefined)?.['Raster.ServicePixelValue']),
        min: computed.statistics[0].min,
        max: computed.statistics[0].max,
        bins: histograms.histograms[0].counts.length,
      };
    }, { x: DEM.x0 + (col + 0.5) * DEM.pixel, y: DEM.y0 - (row + 0.5) * DEM.pixel });
    expect(result.popup.map(Number)).toContain(demValue(col, row));
    expect([result.min, result.max]).toEqual([demValue(0, 0), demValue(DEM.size - 1, DEM.size - 1)]);
    expect(result.bins).toBeGreaterThan(0);
    const locked = sdk.requests.filter((r) => r.path.endsWith('/exportImage') && /LockRaster/i.test(r.params.get('mosaicRule') ?? ''));
    expect(locked.length).toBeGreaterThan(0);
    const shot = await viewScreenshot(sdk.page);
    let red = 0;
    for (let i = 0; i < shot.data.length; i += 4) if (shot.data[i]! > 200 && shot.data[i + 1]! < 60 && shot.data[i + 2]! < 60) red++;
    expect(red).toBeGreaterThan(1000); // the high part of the DEM, filtered red
    await expectNoErrors(sdk);
    await sdk.close();
  }, 300_000);

  // A tiled collection's service advertises a tiling scheme in its own SR (Web Mercator for the
  // demo, ArcGIS's WGS84 scheme for the EPSG:4326 DEM): the ImageryTileLayer draws from tiles.
  for (const name of ['DemoImagery', 'sdkdem']) {
    it(`draws ${name} as an ImageryTileLayer from its tiles`, async () => {
      const sdk = await showLayer(name, {}, 'ImageryTileLayer');
      const tiles = sdk.requests.filter((r) => /\/tile\/\d+\/\d+\/\d+$/.test(r.path));
      expect(tiles.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      const shot = await viewScreenshot(sdk.page);
      // The view snaps to the scheme's levels (none finer than the data), so the data may cover
      // less than the view: compare with the data's own footprint on screen.
      const footprint = await sdk.page.evaluate(() => {
        const { view, layer } = window;
        const e = layer.fullExtent!;
        return Math.min(view.width, e.width / view.resolution) * Math.min(view.height, e.height / view.resolution);
      });
      expect(paintedPixels(shot)).toBeGreaterThan(footprint * 0.8);
      await expectNoErrors(sdk, true);
      await sdk.close();
    }, 300_000);
  }
  // A collection in UTM advertises its tiling scheme in UTM. The SDK draws it from those tiles and
  // by exportImage, in a view in the collection's SR and in a Web Mercator view: the tiles it
  // reprojects itself, exportImage the server reprojects (bboxSR and imageSR 3857).
  for (const [type, viewWkid] of [['ImageryTileLayer', undefined], ['ImageryLayer', undefined], ['ImageryTileLayer', 3857], ['ImageryLayer', 3857]] as const) {
    it(`draws the UTM collection as an ${type} in a view in ${viewWkid ?? 'its own SR'}, each colour where the source has it, identify gives the source's values`, async () => {
      const sdk = await showLayer('sdkutm', {}, type, viewWkid);
      const info = sdk.requests.find((r) => r.path === '/rest/services/Hosted/sdkutm/ImageServer')?.json as ImageServiceJson;
      expect(info.tileInfo.spatialReference.wkid).toBe(32633);
      const used = sdk.requests.filter((r) => (type === 'ImageryTileLayer' ? /\/tile\/\d+\/\d+\/\d+$/ : /\/exportImage$/).test(r.path));
      expect(used.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      if (type === 'ImageryLayer') {
        // The SDK asks for pictures in the view's SR; the server reprojects.
        const sr = JSON.stringify(viewWkid ?? 32633);
        expect(used.every((r) => [r.params.get('bboxSR'), r.params.get('imageSR')].every((p) => (p ?? '').includes(sr) || (viewWkid === 3857 && (p ?? '').includes('102100'))))).toBe(true);
      }
      const shot = await viewScreenshot(sdk.page);
      // Where the middle of each quadrant is on screen, per the view.
      const quarter = UTM.size / 4;
      const places = [[quarter, quarter], [3 * quarter, quarter], [quarter, 3 * quarter], [3 * quarter, 3 * quarter]].map(([c, r]) => ({
        x: UTM.x0 + (c! + 0.5) * UTM.pixel, y: UTM.y0 - (r! + 0.5) * UTM.pixel, rgb: utmColour(c!, r!),
      }));
      const found: Array<{ screen: { x: number; y: number }; value: unknown }> = await sdk.page.evaluate(async (points) => {
        const { view, arcgis: a, bounded } = window;
        const layer = window.layer as ImageryLayer | ImageryTileLayer;
        const out: Array<{ screen: { x: number; y: number }; value: unknown }> = [];
        for (const p of points) {
          const point = new a.Point({ x: p.x, y: p.y, spatialReference: { wkid: 32633 } });
          // ImageryLayer.identify asks the server; ImageryTileLayer.identify reads its own tiles.
          const identified = await bounded(layer.type === 'imagery' ? layer.identify({ geometry: point }) : layer.identify(point), 'identify');
          out.push({ screen: view.toScreen(point)!, value: identified.value });
        }
        return out;
      }, places);
      for (const [i, place] of places.entries()) {
        const { x, y } = found[i]!.screen;
        const at = (Math.round(y) * shot.width + Math.round(x)) * 4;
        const painted = [shot.data[at]!, shot.data[at + 1]!, shot.data[at + 2]!];
        for (let b = 0; b < 3; b++) expect(Math.abs(painted[b]! - place.rgb[b]!), `${painted} for ${place.rgb} at ${x},${y}`).toBeLessThan(24);
        // The source's values, to JPEG's error: CreateImageCollection stores 8-bit RGB as JPEG
        // COGs, which ImageryLayer.identify reads on the server (band values joined by spaces),
        // and ImageryTileLayer.identify reads the values from its tiles, JPEG in a MIXED cache.
        const value = found[i]!.value;
        const bands = typeof value === 'string' ? value.split(' ').map(Number) : Array.from(value as number[], Number);
        for (let b = 0; b < 3; b++) expect(Math.abs(bands[b]! - place.rgb[b]!), `${String(value)} for ${place.rgb}`).toBeLessThan(8);
      }
      await sdk.settle();
      if (type === 'ImageryLayer') expect(sdk.requests.filter((r) => r.path.endsWith('/identify')).length).toBeGreaterThanOrEqual(places.length);
      await expectNoErrors(sdk, true);
      await sdk.close();
    }, 300_000);
  }
});
