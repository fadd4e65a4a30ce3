import { isAscii } from 'node:buffer';
import { parse } from 'node:querystring';

/** A form body's fields, as @fastify/formbody gave them (repeated keys as arrays), without the key cap. */
export function parseFormText(text: string): Record<string, string | string[]> {
  return { ...parse(text, '&', '=', { maxKeys: 0 }) } as Record<string, string | string[]>;
}

const PLUS = 0x2b;
const PERCENT = 0x25;
const AMPERSAND = 0x26;
const EQUALS = 0x3d;

/**
 * parseFormText of the body's bytes, decoded on the bytes: querystring.parse built each large
 * value from string slices and decodeURIComponent, ~0.2 s of CPU and garbage for a 4.3 MB
 * classifier definition. Same fields, byte for byte: `+` is a space, a valid `%XX` a byte, any
 * other `%` itself, the bytes read as UTF-8 (bad sequences U+FFFD, as querystring's fallback
 * gives). A body with raw non-ASCII bytes (not what form encoders send) takes querystring's path,
 * which decodes the raw text before the escapes.
 */
export function parseFormBytes(body: Buffer): Record<string, string | string[]> {
  if (!isAscii(body)) return parseFormText(body.toString());
  const fields = Object.create(null) as Record<string, string | string[]>;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf(AMPERSAND, start);
    if (end === -1) end = body.length;
    if (end > start) {
      let eq = body.indexOf(EQUALS, start);
      if (eq === -1 || eq > end) eq = end;
      const key = decodeComponent(body, start, eq);
      const value = eq < end ? decodeComponent(body, eq + 1, end) : '';
      const current = fields[key];
      if (current === undefined) fields[key] = value;
      else if (Array.isArray(current)) current.push(value);
      else fields[key] = [current, value];
    }
    start = end + 1;
  }
  return { ...fields };
}

/** One key or value: `+` → space, valid `%XX` → its byte, then UTF-8. */
function decodeComponent(body: Buffer, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = body[i]!;
    if (c === PLUS || c === PERCENT) {
      plain = false;
      break;
    }
  }
  // ASCII only (checked above), so latin1 reads it as UTF-8 would, and faster.
  if (plain) return body.toString('latin1', start, end);
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = body[i]!;
    if (c === PLUS) out[n++] = 0x20;
    else if (c === PERCENT && i + 2 < end && hex(body[i + 1]!) >= 0 && hex(body[i + 2]!) >= 0) {
      out[n++] = hex(body[i + 1]!) * 16 + hex(body[i + 2]!);
      i += 2;
    } else out[n++] = c;
  }
  return out.toString('utf8', 0, n);
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
