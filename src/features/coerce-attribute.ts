import { INTEGER_RANGES } from './field-types.js';
import type { FieldDefinition } from './service-definition.js';

/** One edit that cannot be applied: an ArcGIS Apply Edits error code and its description. */
export class EditItemError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'EditItemError';
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIME_ONLY = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const GUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/**
 * `{8-4-4-4-12}` upper case; any case, with or without braces or dashes accepted.
 *
 * @example normalizeGuid('74100804-e229-49b8-8cdc-9b5d3ef03eda') // '{74100804-E229-49B8-8CDC-9B5D3EF03EDA}'
 */
export function normalizeGuid(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = GUID.exec(value.trim());
  return match ? `{${match.slice(1).join('-').toUpperCase()}}` : undefined;
}

function failed(field: FieldDefinition): EditItemError {
  return new EditItemError(1016, `Setting of value for ${field.name} failed.`);
}

/**
 * A client's attribute value as stored for the field: numbers for numeric and date fields
 * (numeric strings and ISO dates accepted leniently), text otherwise; checked against the
 * field's range, length and domain. null stays null (nullability is the caller's check).
 */
export function coerceAttribute(field: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const coerced = coerceByType(field, value);
  checkDomain(field, coerced);
  return coerced;
}

function coerceByType(field: FieldDefinition, value: unknown): unknown {
  switch (field.type) {
    case 'esriFieldTypeSmallInteger':
    case 'esriFieldTypeInteger':
    case 'esriFieldTypeBigInteger': {
      const n = toNumber(value);
      const [min, max] = INTEGER_RANGES[field.type]!;
      if (n === undefined || !Number.isInteger(n) || n < min || n > max) throw failed(field);
      return n;
    }
    case 'esriFieldTypeSingle':
    case 'esriFieldTypeDouble': {
      const n = toNumber(value);
      if (n === undefined) throw failed(field);
      return n;
    }
    case 'esriFieldTypeString':
    case 'esriFieldTypeXML': {
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
      if (text === undefined || (field.length !== undefined && text.length > field.length)) throw failed(field);
      return text;
    }
    case 'esriFieldTypeDate':
      return toEpochMs(field, value);
    case 'esriFieldTypeDateOnly':
      if (typeof value === 'string' && DATE_ONLY.test(value)) return value;
      if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
      throw failed(field);
    case 'esriFieldTypeTimeOnly':
      if (typeof value === 'string' && TIME_ONLY.test(value)) return value;
      throw failed(field);
    case 'esriFieldTypeTimestampOffset':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
      throw failed(field);
    case 'esriFieldTypeGUID':
    case 'esriFieldTypeGlobalID': {
      const guid = normalizeGuid(value);
      if (guid === undefined) throw failed(field);
      return guid;
    }
    default:
      throw failed(field);
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** Epoch milliseconds; ISO 8601 text is accepted too (lenient, as ArcGIS Server is). */
function toEpochMs(field: FieldDefinition, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
  if (typeof value === 'string') {
    const asNumber = Number(value);
    if (value.trim() !== '' && Number.isFinite(asNumber)) return Math.round(asNumber);
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw failed(field);
}

function checkDomain(field: FieldDefinition, value: unknown): void {
  const domain = field.domain;
  if (!domain) return;
  if (domain.type === 'codedValue') {
    // Codes compare loosely: clients send 1 for "1" and back.
    if (!domain.codedValues.some((c) => String(c.code) === String(value))) throw failed(field);
    return;
  }
  const [min, max] = domain.range;
  if (typeof value !== 'number' || value < min || value > max) throw failed(field);
}
