/**
 * Esri JSON ⇄ WKB, the form geometries take in SpatiaLite (`GeomFromWKB`/`AsBinary`) and PostGIS
 * (`ST_GeomFromWKB`/`ST_AsBinary`).
 */
export { esriToWkb, type WkbWriteOptions } from './wkb-writer.js';
export { wkbToEsri, type WkbReadOptions } from './wkb-reader.js';
