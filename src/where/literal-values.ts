import { clip } from './tokenize-where.js';
import { WhereClauseError } from './where-clause-error.js';

export const MS_PER_DAY = 86_400_000;
const UNIT_MS = { DAY: MS_PER_DAY, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 } as const;
export type IntervalUnit = keyof typeof UNIT_MS;
const UNIT_ORDER: IntervalUnit[] = ['DAY', 'HOUR', 'MINUTE', 'SECOND'];

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/;
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A point in time from a date/timestamp literal; `dateOnly` when no time of day was given. */
export interface ParsedInstant {
  ms: number;
  dateOnly: boolean;
}

/**
 * Reads `yyyy-mm-dd[ hh:mm[:ss[.fff]]][Z|±hh:mm]`. Without an offset the value is UTC, because
 * layers advertise `dateFieldsTimeReference: UTC` and ArcGIS stores dates as UTC epoch ms.
 */
export function parseTimestamp(text: string): ParsedInstant | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0));
  const fraction = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  if (year < 100) ms = new Date(ms).setUTCFullYear(year);
  const offset = m[8];
  if (offset && offset.toUpperCase() !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms, dateOnly: m[4] === undefined && !offset };
}

/** `DATE 'yyyy-mm-dd'`: exactly a calendar date. */
export function parseDateLiteral(text: string): ParsedInstant {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? parseTimestamp(text) : null;
  if (!parsed) throw new WhereClauseError(`Invalid DATE literal '${clip(text)}' (expected yyyy-mm-dd)`);
  return parsed;
}

export function parseTimestampLiteral(text: string): ParsedInstant {
  const parsed = parseTimestamp(text);
  if (!parsed) {
    throw new WhereClauseError(`Invalid TIMESTAMP literal '${clip(text)}' (expected yyyy-mm-dd hh:mm:ss)`);
  }
  return { ms: parsed.ms, dateOnly: false };
}

/** Normalises `hh:mm[:ss[.fff]]` to `hh:mm:ss[.fff]`, or null. */
export function parseTime(text: string): string | null {
  const m = TIME.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return null;
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}${m[4] ?? ''}`;
}

/** GlobalID/GUID values are stored as `{UPPER-CASE}` text, so that is what we compare against. */
export function normalizeGuid(text: string): string | null {
  const m = GUID.exec(text.trim());
  return m ? `{${m[1].toUpperCase()}}` : null;
}

/** A numeric literal's value; integers beyond 2^53 stay exact as BigInt. */
export function parseNumber(text: string): number | bigint | null {
  const trimmed = text.trim();
  if (!NUMERIC.test(trimmed)) return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return null;
  if (/^[+-]?\d+$/.test(trimmed) && !Number.isSafeInteger(value)) {
    // Exact while it fits a 64-bit column; beyond that only a double can hold it.
    const big = BigInt(trimmed);
    return big >= INT64_MIN && big <= INT64_MAX ? big : value;
  }
  return value;
}

/** `yyyy-mm-dd` of an epoch-ms instant, in UTC. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isIntervalUnit(word: string): word is IntervalUnit {
  return word in UNIT_MS;
}

/**
 * The length in ms of `INTERVAL '<text>' <from> [TO <to>]`, e.g. `'1 10:30:00' DAY TO SECOND`.
 * Only day-time intervals: a month or year has no fixed length in epoch ms.
 */
export function parseInterval(text: string, from: IntervalUnit, to: IntervalUnit = from): number {
  const units = UNIT_ORDER.slice(UNIT_ORDER.indexOf(from), UNIT_ORDER.indexOf(to) + 1);
  const invalid = new WhereClauseError(`Invalid INTERVAL '${clip(text)}' ${from}${to === from ? '' : ` TO ${to}`}`);
  if (units.length === 0) throw invalid;
  let body = text.trim();
  const sign = body.startsWith('-') ? -1 : 1;
  body = body.replace(/^[+-]\s*/, '');
  const parts: string[] = [];
  if (from === 'DAY' && units.length > 1) {
    const m = /^(\d+)\s+(.*)$/.exec(body);
    if (!m) throw invalid;
    parts.push(m[1], ...m[2].split(':'));
  } else {
    parts.push(...body.split(':'));
  }
  if (parts.length !== units.length) throw invalid;
  let ms = 0;
  parts.forEach((part, i) => {
    const isLast = i === parts.length - 1;
    const pattern = isLast && units[i] === 'SECOND' ? /^\d+(\.\d+)?$/ : /^\d+$/;
    if (!pattern.test(part)) throw invalid;
    const value = Number(part);
    if (i > 0 && value >= (units[i] === 'HOUR' ? 24 : 60)) throw invalid;
    ms += value * UNIT_MS[units[i]];
  });
  return sign * Math.round(ms);
}
