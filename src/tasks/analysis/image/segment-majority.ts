/**
 * Classification by segment, as ArcGIS classifies a segmented raster: every segment (a
 * 4-connected run of cells sharing all band values of the segmented raster, which Segment paints
 * with the segment's mean colour) takes the class most of its pixels got. NoData pixels (NaN in
 * any band) keep their own class.
 */
export function classifyBySegment(classes: Float64Array, segmentBands: Float64Array[], width: number, height: number): Float64Array {
  const n = width * height;
  const label = new Int32Array(n).fill(-1);
  const out = Float64Array.from(classes);
  const same = (a: number, b: number) => segmentBands.every((band) => band[a] === band[b]);
  const stack: number[] = [];
  for (let seed = 0; seed < n; seed++) {
    if (label[seed] !== -1 || segmentBands.some((band) => Number.isNaN(band[seed]!))) continue;
    const members: number[] = [];
    label[seed] = seed;
    stack.push(seed);
    while (stack.length > 0) {
      const cell = stack.pop()!;
      members.push(cell);
      const row = Math.floor(cell / width);
      const col = cell % width;
      for (const next of [col > 0 ? cell - 1 : -1, col < width - 1 ? cell + 1 : -1, row > 0 ? cell - width : -1, row < height - 1 ? cell + width : -1]) {
        if (next >= 0 && label[next] === -1 && same(seed, next)) {
          label[next] = seed;
          stack.push(next);
        }
      }
    }
    const votes = new Map<number, number>();
    for (const cell of members) if (!Number.isNaN(classes[cell]!)) votes.set(classes[cell]!, (votes.get(classes[cell]!) ?? 0) + 1);
    let winner = NaN;
    let most = 0;
    for (const [value, count] of votes) if (count > most || (count === most && value < winner)) [winner, most] = [value, count];
    for (const cell of members) out[cell] = winner;
  }
  return out;
}
