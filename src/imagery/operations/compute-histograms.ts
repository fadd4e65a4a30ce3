import { ApiError } from '../../errors.js';
import { param } from '../../http/operation-params.js';
import { areaOf, summarizeArea } from '../render/collection-statistics.js';
import { geometryParam, mosaicRuleParam, renderingRuleParam } from './common-params.js';
import { geometryOperation } from './render-deps.js';

/** computeStatisticsHistograms' and computeHistograms' parameters, in the order of their form. */
export const COMPUTE_PARAMS = {
  geometry: geometryParam((input) => {
    const area = areaOf(input.geometry);
    if (!area) throw ApiError.invalidParameter("'geometry' parameter is invalid: an envelope or polygon with an area is required");
    return area;
  }),
  mosaicRule: mosaicRuleParam(),
  renderingRule: renderingRuleParam(),
  // A cell size (`10`) or a point-like `{"x":10,"y":10}`; only x is used.
  pixelSize: param((params, name) => {
    const value = params.jsonOrText(name);
    return typeof value === 'object' && value ? Number((value as { x?: unknown }).x) || undefined : Number(value) || undefined;
  }),
};

/** Statistics and histograms of an area (ArcGIS Compute Statistics and Histograms, Compute Histograms). */
function computeOperation(histogramsOnly: boolean) {
  const title = histogramsOnly ? 'computeHistograms' : 'computeStatisticsHistograms';
  return geometryOperation(title, COMPUTE_PARAMS, async ({ geometry: area, mosaicRule, ...options }, request, target, deps) => {
    const summary = await summarizeArea(deps.catalog, target.collection, area.box, { ...options, rule: mosaicRule, rings: area.rings, signal: request.arcgis.signal });
    return histogramsOnly ? { histograms: summary.histograms } : summary;
  });
}

export const computeOperations = [computeOperation(false), computeOperation(true)];
