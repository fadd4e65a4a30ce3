import { boolParam, intParam, numberParam, param, readParams } from '../../http/operation-params.js';
import { formatOf, sendResource } from '../../http/respond.js';
import { getSamples } from '../render/get-samples.js';
import { geometryParam, mosaicRuleParam } from './common-params.js';
import { operationPage, type RenderOperation } from './render-deps.js';

/** getSamples' parameters (ArcGIS Get Samples), in the order of its form. */
export const SAMPLES_PARAMS = {
  geometry: geometryParam((input) => input),
  sampleDistance: numberParam(),
  sampleCount: intParam(),
  mosaicRule: mosaicRuleParam(),
  returnFirstValueOnly: boolParam(true),
  outFields: param((params, name) => params.list(name) ?? []),
};

export const getSamplesOperation: RenderOperation = {
  path: '/getSamples',
  needs: ['Image'],
  async handle(request, reply, target, deps) {
    const params = request.arcgis.params;
    const page = operationPage(deps, request, target, 'getSamples', SAMPLES_PARAMS);
    if (formatOf(request) === 'html' && !params.has('geometry')) return sendResource(request, reply, {}, page);
    const { geometry: input, mosaicRule, ...options } = readParams(SAMPLES_PARAMS, params, target.collection);
    const body = await getSamples(deps.catalog, target.collection, {
      ...options,
      geometry: input.geometry,
      rule: mosaicRule,
      toClient: input.toClient,
      clientSr: input.clientSrs.json,
      signal: request.arcgis.signal,
    });
    return sendResource(request, reply, body, page);
  },
};
