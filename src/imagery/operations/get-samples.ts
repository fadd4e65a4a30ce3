import { boolParam, intParam, numberParam, param } from '../../http/operation-params.js';
import { getSamples } from '../render/get-samples.js';
import { geometryParam, mosaicRuleParam } from './common-params.js';
import { geometryOperation } from './render-deps.js';

/** getSamples' parameters (ArcGIS Get Samples), in the order of its form. */
export const SAMPLES_PARAMS = {
  geometry: geometryParam((input) => input),
  sampleDistance: numberParam(),
  sampleCount: intParam(),
  mosaicRule: mosaicRuleParam(),
  returnFirstValueOnly: boolParam(true),
  outFields: param((params, name) => params.list(name) ?? []),
};

export const getSamplesOperation = geometryOperation('getSamples', SAMPLES_PARAMS, async ({ geometry: input, mosaicRule, ...options }, request, target, deps) =>
  getSamples(deps.catalog, target.collection, {
    ...options,
    geometry: input.geometry,
    rule: mosaicRule,
    toClient: input.toClient,
    clientSr: input.clientSrs.json,
    signal: request.arcgis.signal,
  }),
);
