import type { FeatureJsonShape } from './feature-store.js';

/**
 * Drops the last object of a page the database rendered as JSON objects joined by commas (one row
 * past the page tells whether more rows match). Each object starts with `{"<attributesKey>":` and
 * no object contains `,{"` (members are `,"key":value`; quotes inside strings are escaped), so the
 * last `,{"<attributesKey>":` is where the last object begins.
 */
export function withoutLastObject(json: Buffer, shape: FeatureJsonShape): Buffer {
  const start = json.lastIndexOf(`,{${JSON.stringify(shape.attributesKey)}:`, undefined, 'utf8');
  return json.subarray(0, Math.max(0, start));
}
