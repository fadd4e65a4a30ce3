import { D8_DCOL, D8_DROW } from './d8.js';
import type { Grid } from './grid.js';

/**
 * Applies ArcGIS Fill's `zLimit` to a completely filled surface: a sink whose depth (filled
 * height minus original height, at its deepest cell) exceeds the limit is not filled at all, so
 * its cells get their original heights back. Sinks are the 8-connected groups of raised cells.
 */
export function limitFill(original: Grid, filled: Float64Array, zLimit: number): Float64Array {
  const { width, height } = original;
  const z = original.values;
  const out = Float64Array.from(filled);
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  const members: number[] = [];
  for (let start = 0; start < out.length; start++) {
    if (seen[start] || !(filled[start]! > z[start]!)) continue;
    seen[start] = 1;
    stack.push(start);
    members.length = 0;
    let depth = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      members.push(i);
      depth = Math.max(depth, filled[i]! - z[i]!);
      const row = Math.floor(i / width);
      const col = i % width;
      for (let k = 0; k < 8; k++) {
        const r = row + D8_DROW[k]!;
        const c = col + D8_DCOL[k]!;
        if (r < 0 || r >= height || c < 0 || c >= width) continue;
        const j = r * width + c;
        if (!seen[j] && filled[j]! > z[j]!) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    if (depth > zLimit) for (const i of members) out[i] = z[i]!;
  }
  return out;
}
