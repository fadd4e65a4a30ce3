import type esriConfig from '@arcgis/core-5/config.js';
import type * as reactiveUtils from '@arcgis/core-5/core/reactiveUtils.js';
import type Extent from '@arcgis/core-5/geometry/Extent.js';
import type Point from '@arcgis/core-5/geometry/Point.js';
import type Graphic from '@arcgis/core-5/Graphic.js';
import type IdentityManager from '@arcgis/core-5/identity/IdentityManager.js';
import type FeatureLayer from '@arcgis/core-5/layers/FeatureLayer.js';
import type ImageryLayer from '@arcgis/core-5/layers/ImageryLayer.js';
import type ImageryTileLayer from '@arcgis/core-5/layers/ImageryTileLayer.js';
import type MosaicRule from '@arcgis/core-5/layers/support/MosaicRule.js';
import type RasterFunction from '@arcgis/core-5/layers/support/RasterFunction.js';
import type EsriMap from '@arcgis/core-5/Map.js';
import type * as colorRendererCreator from '@arcgis/core-5/smartMapping/renderers/color.js';
import type histogram from '@arcgis/core-5/smartMapping/statistics/histogram.js';
import type summaryStatistics from '@arcgis/core-5/smartMapping/statistics/summaryStatistics.js';
import type uniqueValues from '@arcgis/core-5/smartMapping/statistics/uniqueValues.js';
import type MapView from '@arcgis/core-5/views/MapView.js';
import type Legend from '@arcgis/core-5/widgets/Legend.js';

/**
 * What the browser tests' pages put on `window`, typed, so the functions they hand to
 * `page.evaluate` read it without `any`. Type-only: nothing here reaches the page, whose code is
 * the serialized function.
 *
 * The ArcGIS Maps SDK's types come from the 5.x dev dependency (`@arcgis/core-5`), not from the
 * 4.x one the `main` project runs: 4.x's per-module declarations reach its one `interfaces.d.ts`
 * through an extensionless `import "../interfaces"`, which NodeNext resolution does not resolve in
 * that ESM package, so under our tsconfig every 4.x type is unresolved (`any` to tsc, an error type
 * to eslint). The tests use members both versions have: against 4.x they type-check with
 * `"moduleResolution": "Bundler"` and `"paths": { "@arcgis/core-5/*": ["<node_modules>/@arcgis/core/*"] }`.
 */

/** The SDK modules the harness bundle puts on `window.arcgis` (ENTRY in arcgis-sdk.ts). */
export interface ArcgisSdk {
  esriConfig: typeof esriConfig;
  Map: typeof EsriMap;
  MapView: typeof MapView;
  FeatureLayer: typeof FeatureLayer;
  ImageryLayer: typeof ImageryLayer;
  ImageryTileLayer: typeof ImageryTileLayer;
  RasterFunction: typeof RasterFunction;
  MosaicRule: typeof MosaicRule;
  Graphic: typeof Graphic;
  Point: typeof Point;
  Extent: typeof Extent;
  IdentityManager: typeof IdentityManager;
  reactiveUtils: typeof reactiveUtils;
  summaryStatistics: typeof summaryStatistics;
  uniqueValues: typeof uniqueValues;
  histogram: typeof histogram;
  colorRendererCreator: typeof colorRendererCreator;
  Legend: typeof Legend;
}

/**
 * The part of Leaflet 1.9 (and Esri Leaflet 3) the pages and tests call: the packages ship no
 * types and @types/leaflet is not a dependency.
 */
export interface LatLng {
  lat: number;
  lng: number;
}

export interface LeafletMap {
  setView(center: [number, number], zoom: number): LeafletMap;
  getZoom(): number;
  getCenter(): LatLng;
  latLngToContainerPoint(latlng: [number, number]): { x: number; y: number };
}

export interface LeafletLayer {
  addTo(map: LeafletMap): this;
  once(event: string, listener: () => void): this;
}

export interface Leaflet {
  map(element: string, options?: Record<string, unknown>): LeafletMap;
  esri: { imageMapLayer(options: Record<string, unknown>): LeafletLayer };
}

declare global {
  interface Window {
    /** The SDK modules (arcgis-sdk.ts), and the flag set once they are there. */
    arcgis: ArcgisSdk;
    arcgisReady?: boolean;
    /** The SDK tests' view and its one layer (arcgis-*-layer.test.ts put them there). */
    view: MapView;
    layer: FeatureLayer | ImageryLayer | ImageryTileLayer;
    /** Resolves once the view's layer has stopped drawing (the SDK tests' DRAWN script). */
    drawn(): Promise<void>;
    /** The promise, or an error naming what did not finish in `ms` (arcgis-imagery-layer.test.ts). */
    bounded<T>(promise: T, what: string, ms?: number): Promise<Awaited<T>>;
    /** The view's and layer's state as JSON, for error messages (arcgis-imagery-layer.test.ts). */
    viewState(): string;
    /** The Services Directory's map preview (src/directory/assets/map-preview.js). */
    tesseraMap?: { map: LeafletMap; ready: boolean };
    /** Leaflet with Esri Leaflet, and the map image-map-layer.test.ts makes with it. */
    L: Leaflet;
    map: LeafletMap;
  }
}
