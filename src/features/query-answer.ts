import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { sendJsonText } from '../http/respond.js';
import { encodeFeatureSetJsonBytes, queryResultBody } from './encoders/esri-json.js';
import { toGeoJson, toPbfResult } from './encoders/feature-objects.js';
import { encodeFeatureCollectionPbf } from './encoders/pbf/encode-feature-collection-pbf.js';
import type { QueryAnswer } from './query-answer-cache.js';
import type { QueryResult } from './run-query.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A query result encoded as json (fast text encoder), pjson, geojson or pbf; anything else is a 400. */
export function encodeQueryAnswer(request: FastifyRequest, result: QueryResult, format: string): Omit<QueryAnswer, 'etag'> {
  switch (format) {
    case 'json':
      return { contentType: JSON_TYPE, body: result.kind === 'features' ? encodeFeatureSetJsonBytes(result) : Buffer.from(JSON.stringify(queryResultBody(result))) };
    case 'pjson':
      return { contentType: JSON_TYPE, body: Buffer.from(JSON.stringify(queryResultBody(result), null, 2)) };
    case 'geojson':
      return { contentType: 'application/geo+json; charset=utf-8', body: Buffer.from(JSON.stringify(toGeoJson(result) ?? queryResultBody(result))) };
    case 'pbf':
      return { contentType: 'application/x-protobuf', body: encodePbf(request, result) };
    default:
      throw ApiError.invalidParameter(`'f' parameter is invalid: format '${format}' is not supported by this resource`);
  }
}

function encodePbf(request: FastifyRequest, result: QueryResult): Buffer {
  const pbf = toPbfResult(result);
  if (!pbf) throw ApiError.invalidParameter(`'f' parameter is invalid: pbf is not supported for this kind of query`);
  const quantizationParameters = request.arcgis.params.json<never>('quantizationParameters');
  let bytes: Uint8Array;
  try {
    bytes = encodeFeatureCollectionPbf(pbf, quantizationParameters ? { quantizationParameters } : {});
  } catch (error) {
    // The encoder's way of saying the requested tolerance cannot cover the data's extent.
    if (error instanceof RangeError) throw ApiError.invalidParameter(`'quantizationParameters' parameter is invalid: ${error.message}`);
    throw error;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Sends an answer: JSON wrapped for a JSONP `callback`; with an entity tag, `304 Not Modified`
 * when the client already holds these bytes (If-None-Match).
 */
export function sendQueryAnswer(request: FastifyRequest, reply: FastifyReply, answer: Omit<QueryAnswer, 'etag'> & { etag?: string }): FastifyReply {
  if (answer.contentType === JSON_TYPE && request.arcgis.params.string('callback')) return sendJsonText(request, reply, answer.body.toString());
  if (answer.etag) {
    reply.header('etag', answer.etag);
    if (matchesEtag(request.headers['if-none-match'], answer.etag)) return reply.code(304).send();
  }
  return reply.type(answer.contentType).send(answer.body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value === etag || value === `W/${etag}`;
  });
}
