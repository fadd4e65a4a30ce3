import { TaskError, type TaskParameter } from '../../jobs/task.js';

/** A raster input parameter (raster-analysis.md §2.1), JSON text in a form field. */
export function rasterInputParam(name: string, displayName: string, required = true): TaskParameter {
  return { name, dataType: 'GPString', displayName, description: 'A raster: {"url": …}, {"itemId": …} or {"uri": …}.', direction: 'input', required };
}

/** An output name parameter (§2.2): a plain service name or serviceProperties/itemProperties. */
export function outputNameParam(name: string, displayName: string, required = true): TaskParameter {
  return {
    name,
    dataType: 'GPString',
    displayName,
    description: 'The new hosted layer: a name, or {"serviceProperties": {"name": …}, "itemProperties": {"itemId": …}}.',
    direction: 'input',
    required,
  };
}

export function choiceParam(name: string, displayName: string, choices: string[], defaultValue: string): TaskParameter {
  return { name, dataType: 'GPString', displayName, direction: 'input', required: false, choiceList: choices, defaultValue };
}

/** A raster result (§2.4): GPString whose value is `{"itemId", "url"}`. */
export function rasterResultParam(name = 'outputRaster', displayName = 'Output Raster'): TaskParameter {
  return { name, dataType: 'GPString', displayName, direction: 'output', required: false };
}

export const ANALYSIS_CONTEXT_PARAM: TaskParameter = {
  name: 'context',
  dataType: 'GPString',
  displayName: 'Context',
  description: 'Environment settings (raster-analysis.md §2.3).',
  direction: 'input',
  required: false,
};

/** One of `choices`, matched without regard to case; the default when absent. */
export function readChoice(name: string, value: unknown, choices: readonly string[], fallback: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  const found = choices.find((choice) => choice.toLowerCase() === String(value).trim().toLowerCase());
  if (!found) throw new TaskError(`'${name}' must be one of ${choices.join(', ')}.`);
  return found;
}

/** A number, or the fallback when absent; anything else fails the job naming the parameter. */
export function readNumber(name: string, value: unknown, fallback?: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(number)) throw new TaskError(`'${name}' must be a number.`);
  return number;
}

/** `true`/`false` as JSON or text (clients send both); also ArcGIS's keyword forms. */
export function readFlag(value: unknown, trueWords: string[] = []): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return false;
  const text = value.trim().toLowerCase();
  return text === 'true' || trueWords.some((word) => word.toLowerCase() === text);
}

/** Whether an optional parameter carries a value (an output name, a raster). */
export function isGiven(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '' && value.trim() !== '{}';
  return typeof value !== 'object' || Object.keys(value).length > 0;
}
