import type { FieldType } from '../field-types.js';

/** A source attribute as it will become a layer field. */
export interface SourceField {
  /** The name in the source file. */
  source: string;
  /** A valid, unique field name for the layer. */
  name: string;
  type: FieldType;
  length?: number;
  /** How to turn a source value into the stored value. */
  convert: (value: unknown) => unknown;
}

const RESERVED = new Set(['shape', 'objectid']);

/**
 * Field names a layer accepts: letters, digits and `_`, not starting with a digit, unique
 * regardless of case, never the reserved shape/objectid names.
 *
 * @example sanitizeNames(['Name', 'name', '2nd col', 'OBJECTID']) // ['Name', 'name_1', '_2nd_col', 'OBJECTID_1']
 */
export function sanitizeNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((original) => {
    let base = original.replace(/[^\p{L}\p{N}_]/gu, '_').slice(0, 120) || 'field';
    if (/^\p{N}/u.test(base)) base = `_${base}`;
    let name = base;
    for (let i = 1; taken.has(name.toLowerCase()) || RESERVED.has(name.toLowerCase()); i++) name = `${base}_${i}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

/** OGR date/time fields arrive as `{year, month, day, hour?, minute?, second?, timezone?}`. */
export function ogrDateToEpoch(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null;
  const d = value as { year: number; month: number; day: number; hour?: number; minute?: number; second?: number; timezone?: number };
  const seconds = d.second ?? 0;
  const utc = Date.UTC(d.year, d.month - 1, d.day, d.hour ?? 0, d.minute ?? 0, Math.floor(seconds), Math.round((seconds % 1) * 1000));
  // OGR time zones: 0 unknown, 1 local, 100 = UTC, 100 ± n = UTC ± n quarter hours.
  const tz = d.timezone ?? 0;
  return tz > 1 ? utc - (tz - 100) * 15 * 60_000 : utc;
}

/** Text of a list or other structured value, for a string field. */
export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export type TextColumnType = 'empty' | 'esriFieldTypeInteger' | 'esriFieldTypeDouble' | 'esriFieldTypeString';

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The narrowest type holding both what a CSV column held so far and one more text value:
 * integers (32-bit) widen to doubles, anything non-numeric to strings; blanks change nothing.
 *
 * @example ['1', '2.5', ''].reduce(widenTextType, 'empty') // 'esriFieldTypeDouble'
 */
export function widenTextType(current: TextColumnType, raw: string): TextColumnType {
  const text = raw.trim();
  if (text === '' || current === 'esriFieldTypeString') return current;
  if (!NUMBER_TEXT.test(text)) return 'esriFieldTypeString';
  const n = Number(text);
  const integral = Number.isInteger(n) && Math.abs(n) <= 2147483647 && !/[.eE]/.test(text);
  if (current === 'esriFieldTypeDouble' || !integral) return 'esriFieldTypeDouble';
  return 'esriFieldTypeInteger';
}
