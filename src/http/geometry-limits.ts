import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import type { Params } from '../params.js';

/** Parameters that carry one client geometry (query, deleteFeatures, identify, getSamples, …). */
const GEOMETRY_PARAMETERS = ['geometry', 'geometries'];

/**
 * Refuses a geometry parameter over the configured size or vertex count before anything parses it:
 * a 1,000,000-vertex polygon on a public query held the event loop for seconds. Vertices are
 * counted as `[` brackets, one per position in Esri JSON (plus one per ring): one pass, no parse.
 */
export function checkGeometryLimits(params: Params, limits: Config['limits']): void {
  for (const name of GEOMETRY_PARAMETERS) {
    const text = params.string(name);
    if (text === undefined) continue;
    if (text.length > limits.geometryMB * 1024 * 1024) {
      throw ApiError.invalidParameter(`'${name}' parameter is invalid: larger than ${limits.geometryMB} MB`);
    }
    if (countBrackets(text) > limits.geometryVertices) {
      throw ApiError.invalidParameter(`'${name}' parameter is invalid: more than ${limits.geometryVertices} vertices`);
    }
  }
}

function countBrackets(text: string): number {
  let count = 0;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) count++;
  return count;
}
