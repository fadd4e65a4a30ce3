import { ApiError } from '../../errors.js';
import { param, readParams } from '../../http/operation-params.js';
import { formatOf, sendResource } from '../../http/respond.js';
import { areaOf, summarizeArea } from '../render/collection-statistics.js';
import { geometryParam, mosaicRuleParam, renderingRuleParam } from './common-params.js';
import { operationPage, type RenderOperation } from './render-deps.js';

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
function computeOperation(histogramsOnly: boolean): RenderOperation {
  const title = histogramsOnly ? 'computeHistograms' : 'computeStatisticsHistograms';
  return {
    path: `/${title}`,
    needs: ['Image'],
    async handle(request, reply, target, deps) {
      const params = request.arcgis.params;
      const page = operationPage(deps, request, target, title, COMPUTE_PARAMS);
      if (formatOf(request) === 'html' && !params.has('geometry')) return sendResource(request, reply, {}, page);
      const { geometry: area, mosaicRule, ...options } = readParams(COMPUTE_PARAMS, params, target.collection);
      const summary = await summarizeArea(deps.catalog, target.collection, area.box, { ...options, rule: mosaicRule, rings: area.rings, signal: request.arcgis.signal });
      const body = histogramsOnly ? { histograms: summary.histograms } : summary;
      return sendResource(request, reply, body, page);
    },
  };
}

export const computeOperations = [computeOperation(false), computeOperation(true)];
