// Most filesystems cap a name at 255 bytes; leave room for a suffix added by tools (.aux.xml, .ovr).
const MAX_BYTES = 200;
const MAX_EXTENSION = 16;

/**
 * A file name from a client made safe to use as the last segment of a path: only the part after
 * the last `/` or `\`, no control characters or characters Windows refuses, no leading dots
 * (so never `.`, `..` or a hidden file), trimmed, and at most 200 UTF-8 bytes with the extension
 * kept. Falls back when nothing usable is left.
 *
 * @example toSafeFileName('../../etc/passwd') → 'passwd'
 */
export function toSafeFileName(name: string, fallback = 'data'): string {
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .replace(/\s+/g, ' ');
  if (cleaned === '') return fallback;
  return truncateKeepingExtension(cleaned);
}

function truncateKeepingExtension(name: string): string {
  if (Buffer.byteLength(name) <= MAX_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= MAX_EXTENSION ? name.slice(dot) : '';
  const stem = name.slice(0, name.length - extension.length);
  return truncateBytes(stem, MAX_BYTES - Buffer.byteLength(extension)).replace(/[\s.]+$/, '') + extension;
}

/** Cuts at a character boundary so multi-byte characters are never split. */
function truncateBytes(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}
