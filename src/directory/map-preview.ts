import { escapeHtml } from './html.js';

/**
 * The live map shown on a feature layer or image service page (`HtmlPage.map`). Drawn in the
 * browser by `assets/map-preview.js` with Leaflet and Esri Leaflet, both served by Tessera.
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

export function renderMapPreview(map: MapPreview): string {
  const data = [`data-kind="${map.kind}"`, `data-url="${escapeHtml(map.url)}"`];
  if (map.bounds) data.push(`data-bounds="${escapeHtml(JSON.stringify(map.bounds))}"`);
  if (map.geometryType) data.push(`data-geometry-type="${escapeHtml(map.geometryType)}"`);
  if (map.renderingRule) data.push(`data-rendering-rule="${escapeHtml(JSON.stringify(map.renderingRule))}"`);
  const assets = escapeHtml(map.assets);
  return [
    `<link rel="stylesheet" href="${assets}/leaflet/leaflet.css"><link rel="stylesheet" href="${assets}/map-preview.css">`,
    `<div id="map-preview" ${data.join(' ')}></div>`,
    `<script src="${assets}/leaflet/leaflet.js"></script><script src="${assets}/esri-leaflet/esri-leaflet.js"></script>`,
    `<script src="${assets}/map-preview.js"></script>`,
  ].join('\n');
}

/** WGS84 bounds of a box given by its corners in longitude/latitude. */
export function boundsOf(box: { xmin: number; ymin: number; xmax: number; ymax: number }): [[number, number], [number, number]] {
  return [
    [box.ymin, box.xmin],
    [box.ymax, box.xmax],
  ];
}
