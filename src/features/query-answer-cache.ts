import { createHash } from 'node:crypto';
import type { Params } from '../params.js';

/** An encoded query answer: the bytes sent, their type and the entity tag naming them. */
export interface QueryAnswer {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Parameters that do not change an answer's bytes: who asks (access is checked first), JSONP wrapping. */
const IGNORED_PARAMS = new Set(['token', 'callback']);

/**
 * Encoded query answers, least recently used first out, bounded in bytes. Keys carry the
 * dataset's data version and the layer definition's revision, so an edit or a schema change by
 * any process makes every older answer unreachable: nothing is ever served stale, and
 * unreachable entries simply age out. Repeated requests (a map's tiles of features, paging
 * clients re-reading pages) then cost a lookup instead of a query and an encoding.
 */
export class QueryAnswerCache {
  private readonly entries = new Map<string, QueryAnswer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): QueryAnswer | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Keeps an answer unless it would take more than an eighth of the cache. */
  set(key: string, answer: QueryAnswer): void {
    if (answer.body.length > this.maxBytes / 8) return;
    const previous = this.entries.get(key);
    if (previous) this.bytes -= previous.body.length;
    this.entries.delete(key);
    this.entries.set(key, answer);
    this.bytes += answer.body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface AnswerKeyParts {
  dataset: string;
  layerId: number;
  revision: number | string | undefined;
  dataVersion: string;
  format: string;
  params: Params;
  username: string | undefined;
}

/**
 * The cache key of a query, or undefined when its answer depends on the clock (CURRENT_DATE,
 * CURRENT_TIMESTAMP in the where or having clause). CURRENT_USER makes the caller part of the key.
 */
export function answerKeyOf(parts: AnswerKeyParts): string | undefined {
  const clauses = `${parts.params.string('where') ?? ''} ${parts.params.string('havingClause') ?? ''}`.toUpperCase();
  if (clauses.includes('CURRENT_DATE') || clauses.includes('CURRENT_TIMESTAMP')) return undefined;
  const user = clauses.includes('CURRENT_USER') ? (parts.username ?? '') : '';
  const params = parts.params
    .entries()
    .filter(([name, value]) => !IGNORED_PARAMS.has(name) && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([parts.dataset, parts.layerId, parts.revision ?? null, parts.dataVersion, parts.format, user, params]);
}

/** A strong entity tag for the answer a key names (the key holds the data version). */
export function etagOf(key: string): string {
  return `"${createHash('sha1').update(key).digest('base64url')}"`;
}
