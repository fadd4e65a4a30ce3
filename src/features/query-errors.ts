import { GeometryError } from '../geometry/geometry-error.js';
import { ApiError } from '../errors.js';
import { FeatureStoreError } from '../store/feature-store.js';
import { WhereClauseError } from '../where/index.js';

/** `Invalid field: X` for outFields, orderByFields and friends (spec §8). */
export function invalidField(name: string): ApiError {
  return new ApiError(400, 'Cannot perform query. Invalid query parameters.', [`'Invalid field: ${name}' parameter is invalid`]);
}

export function invalidQueryParameter(detail: string): ApiError {
  return new ApiError(400, 'Cannot perform query. Invalid query parameters.', [detail]);
}

/**
 * Client mistakes found below the routes (where clause, geometry, spatial reference) become the
 * ArcGIS 400s; their messages are ours and safe to show. Anything else passes through.
 */
export function toClientError(error: unknown): unknown {
  if (error instanceof WhereClauseError) {
    return ApiError.unableToComplete("'where' parameter is invalid", error.message);
  }
  if (error instanceof GeometryError || error instanceof FeatureStoreError) {
    return ApiError.unableToComplete(error.message);
  }
  return error;
}
