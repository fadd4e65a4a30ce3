import { GeometryError } from './geometry/geometry-error.js';
import { RasterError } from './raster/raster-error.js';
import { FeatureStoreError } from './store/feature-store.js';
import { WhereClauseError } from './where/where-clause-error.js';

/**
 * One error type for the whole server, mapped once to the ArcGIS envelope
 * (`{"error":{"code","message","details"}}`) by the REST error handler and to
 * `{"status":"error","messages","code"}` by the admin one.
 *
 * @example throw ApiError.invalidParameter("'where' parameter is invalid");
 */
export class ApiError extends Error {
  constructor(
    /** ArcGIS code on the wire: 400, 403, 404, 405, 498, 499, 500. */
    readonly code: number,
    message: string,
    readonly details: string[] = [],
    readonly extra: { messageCode?: string; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static invalidParameter(...details: string[]): ApiError {
    return new ApiError(400, 'Invalid or missing input parameters.', details);
  }

  static unableToComplete(...details: string[]): ApiError {
    return new ApiError(400, 'Unable to complete operation.', details);
  }

  static notFound(message = 'Not Found', details: string[] = []): ApiError {
    return new ApiError(404, message, details);
  }

  static invalidUrl(): ApiError {
    return new ApiError(400, 'Invalid URL', ['Invalid URL']);
  }

  static tokenRequired(): ApiError {
    return new ApiError(499, 'Token Required');
  }

  static invalidToken(): ApiError {
    return new ApiError(498, 'Invalid Token');
  }

  static forbidden(): ApiError {
    return new ApiError(
      403,
      'You do not have permissions to access this resource or perform this operation.',
      [],
      { messageCode: 'GWM_0003' },
    );
  }

  static methodNotAllowed(method: string): ApiError {
    return new ApiError(405, 'Method not supported.', [`The requested operation does not support the ${method} method. Use POST.`]);
  }

  static internal(cause?: unknown): ApiError {
    return new ApiError(500, 'Unable to complete operation.', [], { cause });
  }
}

/** The codes this server emits, with what they mean. Tested against docs/errors.md. */
export const ERROR_CODES: Record<number, string> = {
  400: 'invalid or missing parameter, bad syntax, unknown path below a service',
  403: 'valid token, but the user may not do this',
  404: 'resource (service, item, folder, job) not found',
  405: 'operation needs POST',
  498: 'invalid, expired or wrongly bound token',
  499: 'token required',
  500: 'server fault; the cause is logged, never sent',
};

/** The REST envelope for an error. */
export function toErrorEnvelope(error: ApiError): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = { code: error.code, message: error.message, details: error.details };
  if (error.extra.messageCode) body.messageCode = error.extra.messageCode;
  return { error: body };
}

/** The admin API's own shape for an error. */
export function toAdminErrorBody(error: ApiError): Record<string, unknown> {
  const messages = error.details.length > 0 ? error.details : [error.message];
  return { status: 'error', messages, code: error.code };
}

/**
 * The one table from domain errors (thrown below the routes, with messages that are ours and safe
 * to show) to the ArcGIS answer: a client mistake in a where clause, a geometry or spatial
 * reference, a store filter or a raster is "Unable to complete operation." (400), as ArcGIS
 * Server answers a query or exportImage it cannot run. Order matters: the first match wins.
 */
const DOMAIN_ERRORS: Array<[new (...args: never[]) => Error, (error: Error) => ApiError]> = [
  [WhereClauseError, (error) => ApiError.unableToComplete("'where' parameter is invalid", error.message)],
  [GeometryError, (error) => ApiError.unableToComplete(error.message)],
  [FeatureStoreError, (error) => ApiError.unableToComplete(error.message)],
  [RasterError, (error) => ApiError.unableToComplete(error.message)],
];

/** The ApiError for an ApiError or a domain error; undefined for anything else (a fault). */
export function fromDomainError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  for (const [type, toApiError] of DOMAIN_ERRORS) {
    if (error instanceof type) return toApiError(error);
  }
  return undefined;
}
