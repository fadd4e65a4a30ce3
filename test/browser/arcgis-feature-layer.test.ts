import type Point from '@arcgis/core-5/geometry/Point.js';
import type FeatureLayer from '@arcgis/core-5/layers/FeatureLayer.js';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SERVICE } from '../../src/features/demo.js';
import type { Extent as ExtentJson, FeatureSet } from '../helpers/answers.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createGridService } from '../http/features-helpers.js';
import { CHROMIUM, CHROMIUM_ARGS, openSdkPage, paintedPixels, viewScreenshot, type SdkPage } from './arcgis-sdk.js';
import './page-globals.js';

/**
 * The ArcGIS Maps SDK for JavaScript's FeatureLayer against a private hosted feature service (the
 * 100-point grid), signed in through IdentityManager.registerToken as an app does after OAuth:
 * load, draw (pbf), popups, counts, extents, the statistics smart mapping and charts send,
 * clustering, and applyEdits round trips; and the public demo layer (WorldPlaces), anonymously.
 * Every request is recorded; none may answer an error.
 */
let server: TestServer;
let browser: Browser;
let token: string;

/** A grid feature's attributes (`Graphic.attributes` is `any` in the SDK's types). */
interface GridAttributes {
  OBJECTID: number;
  NAME: string;
  POP: number;
  CAT: string;
}

beforeAll(async () => {
  server = await startTestServer({ demo: true });
  token = await server.token();
  await createGridService(server, token, 'sdkgrid');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** `window.drawn()`: resolves once the layer view has been idle for half a second. */
const DRAWN = `window.drawn = async () => {
  const { view, layer } = window;
  const layerView = await view.whenLayerView(layer);
  for (let quiet = 0; quiet < 5; ) {
    await new Promise((r) => setTimeout(r, 100));
    quiet = layerView.updating ? 0 : quiet + 1;
  }
}`;

/**
 * Opens a MapView with one FeatureLayer, zoomed to its extent, and waits until drawn: the private
 * grid service, signed in, unless another layer URL is given (then anonymous).
 */
async function showLayer(url = `${server.url}/rest/services/Hosted/sdkgrid/FeatureServer/0`, signIn = true): Promise<SdkPage> {
  const sdk = await openSdkPage(browser, server.url);
  await sdk.page.evaluate(DRAWN);
  await sdk.page.evaluate(
    async ({ services, url, token }) => {
      const a = window.arcgis;
      if (token) a.IdentityManager.registerToken({ server: services, token, userId: 'admin', expires: Date.now() + 3_600_000, ssl: false });
      const layer = new a.FeatureLayer({ url, outFields: ['*'], popupTemplate: { title: '{NAME}', content: 'Population {POP}' } });
      const view = new a.MapView({ container: 'view', map: new a.Map({ layers: [layer] }) });
      Object.assign(window, { view, layer });
      await layer.load();
      await view.when();
      await view.goTo(layer.fullExtent!.clone().expand(1.2));
      await window.drawn();
    },
    { services: `${server.url}/rest/services`, url, token: signIn ? token : undefined },
  );
  await sdk.settle();
  return sdk;
}

async function expectNoErrors(sdk: SdkPage): Promise<void> {
  await sdk.settle();
  expect(sdk.errorAnswers()).toEqual([]);
  expect(sdk.pageErrors).toEqual([]);
}

describe('ArcGIS Maps SDK for JavaScript: FeatureLayer', () => {
  it('loads, draws from pbf, counts, measures, and answers the statistics smart mapping and charts ask', async () => {
    const sdk = await showLayer();
    expect(sdk.requests.some((r) => r.path.endsWith('/FeatureServer/0/query') && r.params.get('f') === 'pbf')).toBe(true);
    const shot = await viewScreenshot(sdk.page);
    expect(paintedPixels(shot)).toBeGreaterThan(100);

    const result = await sdk.page.evaluate(async () => {
      const { view, arcgis: a } = window;
      const layer = window.layer as FeatureLayer;
      const count = await layer.queryFeatureCount({ where: "CAT = 'A'" });
      const extent = await layer.queryExtent();
      const stats = await a.summaryStatistics({ layer, field: 'POP', view });
      const unique = await a.uniqueValues({ layer, field: 'CAT', view });
      const bins = await a.histogram({ layer, field: 'POP', numBins: 10, view });
      const smart = await a.colorRendererCreator.createContinuousRenderer({ layer, field: 'POP', view });
      const pageOfFeatures = await layer.queryFeatures({ where: 'POP >= 90', outFields: ['NAME', 'POP'], orderByFields: ['POP DESC'], returnGeometry: true, num: 5 });
      return {
        count,
        extentCount: extent.count,
        extent: extent.extent!.toJSON() as ExtentJson,
        stats: { min: stats.min, max: stats.max, avg: stats.avg, count: stats.count },
        unique: unique.uniqueValueInfos.map((u) => [u.value, u.count]).sort(),
        bins: bins.bins.reduce((n, b) => n + b.count, 0),
        smartType: smart.renderer.type,
        names: pageOfFeatures.features.map((f) => (f.attributes as GridAttributes).NAME),
      };
    });
    expect(result.count).toBe(50);
    expect(result.extentCount).toBe(100);
    expect(result.stats).toEqual({ min: 0, max: 99, avg: 49.5, count: 100 });
    expect(result.unique).toEqual([['A', 50], ['B', 50]]);
    expect(result.bins).toBe(100);
    expect(result.smartType).toBe('class-breaks');
    expect(result.names).toEqual(['p9_9', 'p8_9', 'p7_9', 'p6_9', 'p5_9']);
    await expectNoErrors(sdk);
    await sdk.close();
  }, 300_000);

  it('opens a popup, clusters, and round-trips applyEdits', async () => {
    const sdk = await showLayer();
    const popup = await sdk.page.evaluate(async () => {
      const { view, arcgis: a } = window;
      const layer = window.layer as FeatureLayer;
      const at = new a.Point({ x: 3, y: 4, spatialReference: { wkid: 4326 } });
      const timeout = (what: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), 20_000));
      // What a click does: the popup fetches the features under the pointer from the server.
      await Promise.race([view.openPopup({ location: at }), timeout('openPopup')]);
      const fetched = await Promise.race([view.popup!.fetchFeatures(view.toScreen(at)!), timeout('fetchFeatures')]);
      const graphics = await Promise.race([fetched.allGraphicsPromise, timeout('allGraphicsPromise')]);
      const names = graphics.map((f) => (f.attributes as GridAttributes).NAME);
      view.closePopup();
      layer.featureReduction = { type: 'cluster', clusterRadius: '60px' };
      await Promise.race([window.drawn(), timeout('clustering')]);
      return names;
    });
    expect(popup).toContain('p3_4');

    const edits = await sdk.page.evaluate(async () => {
      const a = window.arcgis;
      const layer = window.layer as FeatureLayer;
      const added = await layer.applyEdits({
        addFeatures: [new a.Graphic({ geometry: new a.Point({ x: 4.5, y: 4.5, spatialReference: { wkid: 4326 } }), attributes: { NAME: 'sdk', POP: 1000, CAT: 'C' } })],
      });
      const id = added.addFeatureResults[0].objectId!;
      const updated = await layer.applyEdits({ updateFeatures: [new a.Graphic({ attributes: { OBJECTID: id, POP: 1001 } })] });
      const read = await layer.queryFeatures({ objectIds: [id], outFields: ['NAME', 'POP', 'CAT'], returnGeometry: true });
      const deleted = await layer.applyEdits({ deleteFeatures: [{ objectId: id }] });
      const after = await layer.queryFeatureCount();
      const f = read.features[0];
      const attributes = f.attributes as GridAttributes;
      const point = f.geometry as Point;
      return {
        addError: added.addFeatureResults[0].error?.message ?? null,
        updateError: updated.updateFeatureResults[0].error?.message ?? null,
        deleteError: deleted.deleteFeatureResults[0].error?.message ?? null,
        attributes: { NAME: attributes.NAME, POP: attributes.POP, CAT: attributes.CAT },
        x: point.longitude ?? point.x,
        after,
      };
    });
    expect(edits).toMatchObject({ addError: null, updateError: null, deleteError: null, attributes: { NAME: 'sdk', POP: 1001, CAT: 'C' }, after: 100 });
    expect(edits.x).toBeCloseTo(4.5, 6);
    expect(sdk.requests.filter((r) => r.path.endsWith('/applyEdits'))).toHaveLength(3);
    await expectNoErrors(sdk);
    await sdk.close();
  }, 300_000);

  it('draws the demo layer anonymously, counts it, and fills a popup from it', async () => {
    const sdk = await showLayer(`${server.url}/rest/services/Hosted/${DEMO_SERVICE}/FeatureServer/0`, false);
    expect(sdk.requests.some((r) => r.path.endsWith(`/${DEMO_SERVICE}/FeatureServer/0/query`) && r.params.get('f') === 'pbf')).toBe(true);
    const shot = await viewScreenshot(sdk.page);
    expect(paintedPixels(shot)).toBeGreaterThan(20);
    const expected = await server.get<FeatureSet>(`/rest/services/Hosted/${DEMO_SERVICE}/FeatureServer/0/query?where=1%3D1&returnCountOnly=true&f=json`);
    const result = await sdk.page.evaluate(async () => {
      const { view, arcgis: a } = window;
      const layer = window.layer as FeatureLayer;
      const timeout = (what: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), 20_000));
      const count = await layer.queryFeatureCount();
      const at = new a.Point({ x: 18.4241, y: -33.9249, spatialReference: { wkid: 4326 } }); // Cape Town
      await Promise.race([view.openPopup({ location: at }), timeout('openPopup')]);
      const fetched = await Promise.race([view.popup!.fetchFeatures(view.toScreen(at)!), timeout('fetchFeatures')]);
      const graphics = await Promise.race([fetched.allGraphicsPromise, timeout('allGraphicsPromise')]);
      return { count, names: graphics.map((f) => (f.attributes as { NAME: string }).NAME) };
    });
    expect(expected.count).toBeGreaterThan(0);
    expect(result.count).toBe(expected.count);
    expect(result.names).toContain('Cape Town');
    await expectNoErrors(sdk);
    await sdk.close();
  }, 300_000);
});
