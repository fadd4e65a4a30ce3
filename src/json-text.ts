import JSON5 from 'json5';

/**
 * Parses JSON text as ArcGIS Server does for parameter values: strict JSON, or the relaxed form its
 * own documents show (`{xmin: -104, ymin: 35.6}`: unquoted keys, single quotes, trailing commas),
 * read by JSON5. Strict JSON takes the fast path; throws SyntaxError when neither reads it.
 *
 * @example parseJsonText("{xmin: -104, ymin: 35.6, xmax: -94.32, ymax: 41}")
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (strictError) {
    try {
      return JSON5.parse(text);
    } catch {
      throw strictError;
    }
  }
}
