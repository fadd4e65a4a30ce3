import type { GeometryType } from '../geometry/esri-geometry.js';

const OUTLINE = { type: 'esriSLS', style: 'esriSLSSolid', color: [255, 255, 255, 255], width: 0.75 };

/** One symbol per geometry type: enough for a client to draw a layer nobody styled. */
const SYMBOLS: Partial<Record<GeometryType, Record<string, unknown>>> = {
  esriGeometryPoint: { type: 'esriSMS', style: 'esriSMSCircle', color: [0, 112, 255, 255], size: 7, angle: 0, xoffset: 0, yoffset: 0, outline: OUTLINE },
  esriGeometryMultipoint: { type: 'esriSMS', style: 'esriSMSCircle', color: [0, 112, 255, 255], size: 7, angle: 0, xoffset: 0, yoffset: 0, outline: OUTLINE },
  esriGeometryPolyline: { type: 'esriSLS', style: 'esriSLSSolid', color: [0, 112, 255, 255], width: 1.5 },
  esriGeometryPolygon: {
    type: 'esriSFS',
    style: 'esriSFSSolid',
    color: [0, 112, 255, 96],
    outline: { type: 'esriSLS', style: 'esriSLSSolid', color: [0, 80, 200, 255], width: 1 },
  },
};

/** `drawingInfo` with a simple renderer, as a layer created without one reports. */
export function defaultDrawingInfo(geometryType: GeometryType | undefined): unknown {
  const symbol = geometryType ? SYMBOLS[geometryType] : undefined;
  if (!symbol) return null;
  return { renderer: { type: 'simple', symbol, label: '', description: '' }, transparency: 0, labelingInfo: null };
}

/** The drawing tool a template names for a geometry type. */
export function drawingToolOf(geometryType: GeometryType | undefined): string {
  switch (geometryType) {
    case 'esriGeometryPoint':
    case 'esriGeometryMultipoint':
      return 'esriFeatureEditToolPoint';
    case 'esriGeometryPolyline':
      return 'esriFeatureEditToolLine';
    case 'esriGeometryPolygon':
      return 'esriFeatureEditToolPolygon';
    default:
      return 'esriFeatureEditToolNone';
  }
}
