/**
 * The segments of a segmented raster (which Segment paints with each segment's mean colour):
 * 4-connected runs of cells sharing all band values, numbered 1, 2 … in row order; 0 where any
 * band is NoData (NaN). Returns the labels and how many segments there are.
 */
export function segmentLabels(segmentBands: Float64Array[], width: number, height: number): { labels: Int32Array; count: number } {
  const n = width * height;
  const labels = new Int32Array(n);
  const same = (a: number, b: number) => segmentBands.every((band) => band[a] === band[b]);
  const stack: number[] = [];
  let count = 0;
  for (let seed = 0; seed < n; seed++) {
    if (labels[seed] !== 0 || segmentBands.some((band) => Number.isNaN(band[seed]!))) continue;
    labels[seed] = ++count;
    stack.push(seed);
    while (stack.length > 0) {
      const cell = stack.pop()!;
      const row = Math.floor(cell / width);
      const col = cell % width;
      for (const next of [col > 0 ? cell - 1 : -1, col < width - 1 ? cell + 1 : -1, row > 0 ? cell - width : -1, row < height - 1 ? cell + width : -1]) {
        if (next >= 0 && labels[next] === 0 && same(seed, next)) {
          labels[next] = count;
          stack.push(next);
        }
      }
    }
  }
  return { labels, count };
}

/**
 * Each segment's majority value among its cells (NaN values not voting; ties to the lower
 * value), indexed by label; NaN for segments with no votes.
 */
export function segmentMajority(values: Float64Array, labels: Int32Array, count: number): Float64Array {
  const votes = Array.from({ length: count + 1 }, () => new Map<number, number>());
  for (let i = 0; i < labels.length; i++) {
    const v = values[i]!;
    if (labels[i] === 0 || Number.isNaN(v)) continue;
    const tally = votes[labels[i]!]!;
    tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  const majority = new Float64Array(votes.length);
  votes.forEach((tally, label) => {
    let winner = NaN;
    let most = 0;
    for (const [value, n] of tally) if (n > most || (n === most && value < winner)) [winner, most] = [value, n];
    majority[label] = winner;
  });
  return majority;
}

/**
 * Classification by segment, as ArcGIS classifies a segmented raster: every segment takes the
 * class most of its pixels got. NoData pixels (NaN in any band) keep their own class.
 */
export function classifyBySegment(classes: Float64Array, segmentBands: Float64Array[], width: number, height: number): Float64Array {
  const { labels, count } = segmentLabels(segmentBands, width, height);
  const winners = segmentMajority(classes, labels, count);
  // A plain loop: TypedArray.from with a mapping function is some 30× slower on large grids.
  const out = new Float64Array(classes.length);
  for (let i = 0; i < out.length; i++) out[i] = labels[i] === 0 ? classes[i]! : winners[labels[i]!]!;
  return out;
}
