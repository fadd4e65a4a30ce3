import { ApiError } from '../errors.js';
import type { GPDataType, TaskParameter } from './task.js';
import { parseJsonText } from '../json-text.js';

/** GPLong's documented range (ArcGIS GP data types). */
const MAX_GP_LONG = 4503599627370495;

/** Types whose values are JSON documents; plain text is refused. */
const JSON_ONLY: ReadonlySet<GPDataType> = new Set(['GPLinearUnit', 'GPRecordSet', 'GPValueTable']);

function invalid(name: string, why: string): ApiError {
  return ApiError.invalidParameter(`'${name}' parameter is invalid: ${why}`);
}

function parseJson(name: string, text: string): unknown {
  try {
    return parseJsonText(text);
  } catch {
    throw invalid(name, 'it is not valid JSON');
  }
}

/** `{…}` must be JSON; `[…]` is JSON when it parses (a where clause may start with `[Field]`). */
function parseText(name: string, text: string): unknown {
  const first = text.trimStart()[0];
  if (first === '{') return parseJson(name, text);
  if (first === '[') {
    try {
      return parseJsonText(text);
    } catch {
      return text;
    }
  }
  return text;
}

function parseNumber(name: string, text: string, integer: boolean): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) throw invalid(name, 'expected a number');
  if (integer && (!Number.isInteger(value) || Math.abs(value) > MAX_GP_LONG)) throw invalid(name, 'expected an integer');
  return value;
}

function parseDate(name: string, text: string): number {
  if (/^\s*-?\d+\s*$/.test(text)) return Number(text);
  const parsed = parseText(name, text);
  const iso = typeof parsed === 'object' && parsed !== null ? (parsed as { date?: unknown }).date : parsed;
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(name, 'expected a date (epoch milliseconds or ISO 8601)');
  return ms;
}

function parseValue(parameter: TaskParameter, text: string): unknown {
  const { name, dataType } = parameter;
  switch (dataType) {
    case 'GPBoolean': {
      const lower = text.trim().toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalid(name, 'expected true or false');
      return lower === 'true';
    }
    case 'GPLong':
      return parseNumber(name, text, true);
    case 'GPDouble':
      return parseNumber(name, text, false);
    case 'GPDate':
      return parseDate(name, text);
    case 'GPMultiValue:GPString': {
      const parsed = text.trimStart().startsWith('[') ? parseJson(name, text) : text.split(',').map((s) => s.trim());
      if (!Array.isArray(parsed)) throw invalid(name, 'expected a JSON array or comma-separated values');
      return parsed;
    }
    default: {
      const parsed = parseText(name, text);
      if (JSON_ONLY.has(dataType) && typeof parsed === 'string') throw invalid(name, 'expected JSON');
      return parsed;
    }
  }
}

/** A value from a choice list, matched without regard to case and returned as the list spells it. */
function checkChoice(parameter: TaskParameter, value: unknown): unknown {
  const choices = parameter.choiceList;
  if (!choices?.length || (typeof value !== 'string' && !Array.isArray(value))) return value;
  const pick = (item: unknown) => {
    const found = choices.find((choice) => choice.toLowerCase() === String(item).toLowerCase());
    if (found === undefined) throw invalid(parameter.name, `'${String(item)}' is not one of ${choices.join(', ')}`);
    return found;
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

/**
 * The GP environment a request sets (`context`, `env:outSR`, `env:processSR`), as one object, or
 * undefined when it sets none.
 */
function parseEnvironment(read: (name: string) => string | undefined): Record<string, unknown> | undefined {
  const text = read('context');
  const context = text ? parseJson('context', text) : {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) throw invalid('context', 'expected a JSON object');
  const environment = { ...(context as Record<string, unknown>) };
  for (const key of ['outSR', 'processSR']) {
    const value = read(`env:${key}`);
    if (value && environment[key] === undefined) environment[key] = /^\s*\d+\s*$/.test(value) ? { wkid: Number(value) } : parseJson(`env:${key}`, value);
  }
  return Object.keys(environment).length > 0 ? environment : undefined;
}

/**
 * A task's inputs from request parameters: typed by dataType, JSON parsed, defaults applied.
 * Missing required inputs and malformed values are 400s naming the parameter, so no job is
 * created for them. Optional inputs without a value or default are left out. Unless the task
 * declares a `context` parameter itself, the GP environment (`context`, `env:outSR`,
 * `env:processSR`) arrives as `inputs.context`, e.g. `{ outSR: { wkid: 3857 } }`.
 */
export function parseTaskInputs(
  parameters: TaskParameter[],
  read: (name: string) => string | undefined,
): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const parameter of parameters) {
    if (parameter.direction !== 'input') continue;
    const text = read(parameter.name);
    if (text === undefined || text === '') {
      if (parameter.defaultValue !== undefined) inputs[parameter.name] = parameter.defaultValue;
      else if (parameter.required) throw ApiError.invalidParameter(`'${parameter.name}' parameter is required`);
      continue;
    }
    inputs[parameter.name] = checkChoice(parameter, parseValue(parameter, text));
  }
  if (!parameters.some((parameter) => parameter.name === 'context')) {
    const environment = parseEnvironment(read);
    if (environment) inputs.context = environment;
  }
  return inputs;
}
