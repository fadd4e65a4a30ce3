import { TaskError } from '../../jobs/task.js';
import { parseJsonText } from '../../json-text.js';

/**
 * A structured GP parameter: JSON already parsed by the job runner, or JSON text (direct calls),
 * as an object. Anything else fails the job naming the parameter.
 */
export function readObjectParam(name: string, value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = parseJsonText(value);
    } catch {
      throw new TaskError(`'${name}' is not valid JSON.`);
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TaskError(`'${name}' must be a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** Like readObjectParam, but absent values give an empty object. */
export function readOptionalObjectParam(name: string, value: unknown): Record<string, unknown> {
  return value === undefined || value === null || value === '' ? {} : readObjectParam(name, value);
}

/**
 * A key of a client JSON object: the exact spelling first (the real service is case-sensitive),
 * then any case (clients vary: `GPS`/`gps`, `ConstantZ`/`constantZ`).
 */
export function readKey(object: Record<string, unknown>, key: string): unknown {
  if (key in object) return object[key];
  const lower = key.toLowerCase();
  const found = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : object[found];
}
