import { ApiError } from '../../errors.js';
import { boolParam, intParam, param, unlisted } from '../../http/operation-params.js';
import { centreOf } from '../render/geometry-params.js';
import { identify } from '../render/identify.js';
import { parseRenderingRule } from '../render/raster-functions/rendering-rule.js';
import { geometryParam, mosaicRuleParam } from './common-params.js';
import { geometryOperation } from './render-deps.js';
import { requestRuleRasters } from '../render/rule-rasters.js';

/** identify's parameters (ArcGIS Identify, Image Service), in the order of its form. */
export const IDENTIFY_PARAMS = {
  geometry: geometryParam((input) => {
    const point = centreOf(input.geometry);
    const location = centreOf(input.original);
    if (!point || !location) throw ApiError.invalidParameter("'geometry' parameter is invalid: it is empty");
    return { point, location, clientSrs: input.clientSrs };
  }),
  mosaicRule: mosaicRuleParam(),
  // The SDK's identify may send `renderingRules` (a list); its first rule is the one applied.
  renderingRule: param((params, name) => {
    const rules = params.json<unknown[]>('renderingRules');
    return parseRenderingRule(params.json(name) ?? (Array.isArray(rules) ? rules[0] : undefined));
  }, { type: 'textarea' }),
  returnGeometry: boolParam(false),
  returnCatalogItems: boolParam(true),
  returnPixelValues: unlisted((params, name) => params.bool(name, true)),
  maxItemCount: intParam(),
};

export const identifyOperation = geometryOperation('identify', IDENTIFY_PARAMS, async ({ geometry, mosaicRule, ...options }, request, target, deps) => {
  const { point, location, clientSrs } = geometry;
  return identify(deps.catalog, target.collection, { x: point[0], y: point[1], rule: mosaicRule }, {
    ...options,
    rasters: requestRuleRasters(deps.context, deps.catalog, request),
    outSrs: clientSrs,
    location: { x: location[0], y: location[1] },
  }, request.arcgis.signal);
});
