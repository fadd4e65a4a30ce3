/**
 * Smallest and largest of many numbers without spreading them into arguments:
 * `Math.min(...xs)` overflows the stack past ~120,000 values (a large polygon).
 */
export function rangeOf(values: Iterable<number>): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

/** Bounds of `[x, y, …]` positions: `[xmin, ymin, xmax, ymax]`. */
export function boundsOf(points: Iterable<ArrayLike<number>>): [number, number, number, number] {
  let [xmin, ymin, xmax, ymax] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const point of points) {
    const x = point[0]!;
    const y = point[1]!;
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  return [xmin, ymin, xmax, ymax];
}
