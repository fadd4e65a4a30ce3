/**
 * The live map shown on a feature layer or image service page (`HtmlPage.map`). Drawn in the
 * browser by `src/directory/assets/map-preview.js` with Leaflet and Esri Leaflet, both served by
 * Tessera (`<base>/static/…`); rendered into the page by `renderPage`.
 *
 * @example { assets: `${base}/static`, kind: 'image', url, bounds: [[-8.05, -34.9], [-7.95, -34.8]] }
 */
export interface MapPreview {
  /** Where the scripts are served: `<base>/static`. */
  assets: string;
  kind: 'feature' | 'image';
  /** The layer (`…/FeatureServer/0`) or image service (`…/ImageServer`). */
  url: string;
  /** WGS84 `[[south, west], [north, east]]`; a feature layer is asked for its own when absent. */
  bounds?: [[number, number], [number, number]];
  /** A feature layer's `esriGeometry…` type: points are drawn as circles. */
  geometryType?: string;
  /** An image service's rendering rule for the preview (Hillshade for elevation). */
  renderingRule?: unknown;
}
