/**
 * Nesting allowed in JSON parameter values. The deepest legitimate values (feature sets with
 * polygon rings, rendering rules) stay under 20; 10,000 nested arrays overflow the stack of code
 * that walks them, so they are refused before parsing.
 */
export const MAX_JSON_DEPTH = 64;

/** True when brackets nest deeper than `limit` (outside strings); one pass, no recursion. */
export function jsonTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
