import { ApiError } from './errors.js';
import { parseJsonText } from './json-text.js';

/**
 * ArcGIS request parameters: query string and form body merged (body wins),
 * looked up case-insensitively, with `name=` meaning "not given".
 *
 * @example const where = params.string('where') ?? '1=1';
 */
export class Params {
  private readonly values = new Map<string, string>();

  constructor(...sources: Array<Record<string, unknown> | undefined | null>) {
    for (const source of sources) {
      if (!source || typeof source !== 'object') continue;
      for (const [key, raw] of Object.entries(source)) {
        const value: unknown = Array.isArray(raw) ? raw[raw.length - 1] : raw;
        if (value === undefined || value === null) continue;
        this.values.set(key.toLowerCase(), typeof value === 'string' ? value : JSON.stringify(value));
      }
    }
  }

  /** The raw text, or undefined when absent or empty. */
  string(name: string): string | undefined {
    const value = this.values.get(name.toLowerCase());
    return value === undefined || value === '' ? undefined : value;
  }

  has(name: string): boolean {
    return this.string(name) !== undefined;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw ApiError.invalidParameter(`'${name}' parameter is required`);
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw ApiError.invalidParameter(`'${name}' parameter is invalid: expected true or false`);
  }

  int(name: string, fallback?: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (!/^\s*-?\d+\s*$/.test(value)) throw ApiError.invalidParameter(`'${name}' parameter is invalid: expected an integer`);
    return Number.parseInt(value, 10);
  }

  number(name: string, fallback?: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw ApiError.invalidParameter(`'${name}' parameter is invalid: expected a number`);
    return parsed;
  }

  /** JSON text inside a parameter value; malformed JSON is a 400 naming the parameter. */
  json<T = unknown>(name: string): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      return parseJsonText(value) as T;
    } catch {
      throw ApiError.invalidParameter(`'${name}' parameter is invalid: it is not valid JSON`);
    }
  }

  /** JSON when the value looks like JSON, else the plain text (e.g. `outSR=4326` or `{"wkid":4326}`). */
  jsonOrText(name: string): unknown {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const first = value.trimStart()[0];
    return first === '{' || first === '[' ? this.json(name) : value;
  }

  /** Comma-separated list, spaces allowed; a JSON array is accepted too. */
  list(name: string): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value.trimStart().startsWith('[')) {
      const parsed = this.json<unknown[]>(name);
      if (!Array.isArray(parsed)) throw ApiError.invalidParameter(`'${name}' parameter is invalid`);
      return parsed.map((item) => String(item));
    }
    return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }

  /** A plain copy, for passing all inputs on (GP tasks) — keys as received, lower-cased. */
  entries(): Array<[string, string]> {
    return [...this.values.entries()];
  }

  set(name: string, value: string): void {
    this.values.set(name.toLowerCase(), value);
  }
}
