import type Pbf from 'pbf';
import { VALUE } from './feature-collection-proto.js';

/** Writes the body of one `Value` message; writing nothing is how the proto says null. */
export type ValueWriter = (value: unknown, pbf: Pbf) => void;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;
const VARINT = 0;

/**
 * The writer for a field type, following what ArcGIS clients read back: small/plain integers as
 * `sint_value`, object ids as `uint_value` (`uint64_value` past 32 bits), big integers and dates
 * (epoch ms) as `sint64_value`, singles as `float_value`, doubles as `double_value`, and text-like
 * types (string, GUID, GlobalID, XML, date-only, time-only, timestamp-offset) as `string_value`.
 * A value of an unexpected JS type is written by its own type rather than dropped.
 */
export function valueWriterFor(fieldType: string): ValueWriter {
  switch (fieldType) {
    case 'esriFieldTypeSmallInteger':
    case 'esriFieldTypeInteger':
      return (v, pbf) => (isInt32(v) ? pbf.writeSVarintField(VALUE.sint, v) : writeByType(pbf, v));
    case 'esriFieldTypeBigInteger':
      return (v, pbf) => (typeof v === 'string' && /^-?\d+$/.test(v) ? writeSint64(pbf, BigInt(v)) : writeByType(pbf, v));
    case 'esriFieldTypeOID':
      return writeObjectId;
    case 'esriFieldTypeSingle':
      return (v, pbf) => (typeof v === 'number' ? pbf.writeFloatField(VALUE.float, v) : writeByType(pbf, v));
    case 'esriFieldTypeDouble':
      return (v, pbf) => (typeof v === 'number' ? pbf.writeDoubleField(VALUE.double, v) : writeByType(pbf, v));
    case 'esriFieldTypeDate':
      return writeDate;
    case 'esriFieldTypeBlob':
    case 'esriFieldTypeRaster':
    case 'esriFieldTypeGeometry':
      return () => undefined;
    default:
      return (v, pbf) => {
        if (v !== null && v !== undefined) pbf.writeStringField(VALUE.string, typeof v === 'string' ? v : String(v));
      };
  }
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

function writeObjectId(value: unknown, pbf: Pbf): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    if (value <= UINT32_MAX) pbf.writeVarintField(VALUE.uint, value);
    else pbf.writeVarintField(VALUE.uint64, value);
  } else if (typeof value === 'bigint' && value >= 0n) {
    writeBigVarintField(pbf, VALUE.uint64, value);
  } else {
    writeByType(pbf, value);
  }
}

function writeDate(value: unknown, pbf: Pbf): void {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (typeof ms === 'number' && Number.isFinite(ms)) pbf.writeSVarintField(VALUE.sint64, Math.round(ms));
  else writeByType(pbf, value);
}

function writeByType(pbf: Pbf, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'bigint') writeSint64(pbf, value);
  else if (typeof value === 'boolean') pbf.writeBooleanField(VALUE.bool, value);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) pbf.writeSVarintField(VALUE.sint64, value);
    else pbf.writeDoubleField(VALUE.double, value);
  } else if (value instanceof Date) pbf.writeSVarintField(VALUE.sint64, value.getTime());
  else if (value instanceof Uint8Array) return;
  else pbf.writeStringField(VALUE.string, typeof value === 'string' ? value : JSON.stringify(value));
}

/** 64-bit integers beyond 2^53 arrive as bigint (or digit strings); pbf only writes JS numbers. */
function writeSint64(pbf: Pbf, value: bigint): void {
  const zigzag = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  writeBigVarintField(pbf, VALUE.sint64, zigzag);
}

function writeBigVarintField(pbf: Pbf, tag: number, value: bigint): void {
  pbf.writeTag(tag, VARINT);
  let rest = BigInt.asUintN(64, value);
  pbf.realloc(10);
  while (rest >= 0x80n) {
    pbf.buf[pbf.pos++] = Number(rest & 0x7fn) | 0x80;
    rest >>= 7n;
  }
  pbf.buf[pbf.pos++] = Number(rest);
}
