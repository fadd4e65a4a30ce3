/** Esri JSON geometry, spatial references and their conversions; pure code apart from GDAL look-ups. */
export * from './geometry-error.js';
export * from './esri-geometry.js';
export * from './spatial-reference.js';
export * from './envelope.js';
export * from './geojson.js';
export * from './geometry-param.js';
export * from './wkb.js';
export { signedArea, isClockwise, groupRings, type RingGroup } from './rings.js';
export { inputDimsOf, convertPosition, type Dims } from './coordinate-dims.js';
