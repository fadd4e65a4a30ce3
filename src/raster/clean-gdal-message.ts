import path from 'node:path';

const MAX_LENGTH = 300;
// An absolute path (or /vsi… path): slash-separated segments up to a quote, space, colon or comma.
const ABSOLUTE_PATH = /(?:\/[^\s'"`:,()]+)+/g;

/**
 * Turns GDAL error output (stderr of a utility, or an exception message) into a message fit for
 * clients: keeps the ERROR lines (their "ERROR n: " prefix dropped), replaces every absolute
 * path by its base name, and caps the length. Warnings and progress output are dropped.
 */
export function cleanGdalMessage(text: string, fallback = 'GDAL failed'): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^[\d.]+(?:\s*-\s*done\.?)?$/.test(line));
  const errors = lines.filter((line) => /^ERROR\s*\d*:/i.test(line)).map((line) => line.replace(/^ERROR\s*\d*:\s*/i, ''));
  const chosen = errors.length > 0 ? errors : lines.filter((line) => !/^Warning\s*\d*:/i.test(line));
  const message = [...new Set(chosen)].join('; ').replace(ABSOLUTE_PATH, (p) => path.posix.basename(p)).trim();
  if (message === '') return fallback;
  return message.length > MAX_LENGTH ? `${message.slice(0, MAX_LENGTH - 1)}…` : message;
}
