import { ApiError } from '../errors.js';

/** `Invalid field: X` for outFields, orderByFields and friends (as ArcGIS Server words it). */
export function invalidField(name: string): ApiError {
  return new ApiError(400, 'Cannot perform query. Invalid query parameters.', [`'Invalid field: ${name}' parameter is invalid`]);
}

export function invalidQueryParameter(detail: string): ApiError {
  return new ApiError(400, 'Cannot perform query. Invalid query parameters.', [detail]);
}
