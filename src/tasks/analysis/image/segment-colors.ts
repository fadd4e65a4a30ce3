import type { Grid } from '../hydrology/grid.js';

/**
 * The segmented image ArcGIS's Segment Mean Shift returns: every pixel painted with its
 * segment's mean value in each band, on a 0–255 scale (8-bit inputs keep their values; others
 * are stretched between each band's minimum and maximum). Label 0 (OTB's "no segment") is 0.
 */
export function paintSegments(labels: Float64Array, bands: Grid[]): Float64Array[] {
  const maxLabel = labels.reduce((m, v) => (Number.isNaN(v) ? m : Math.max(m, v)), 0);
  const counts = new Float64Array(maxLabel + 1);
  for (const label of labels) if (!Number.isNaN(label)) counts[label]++;
  return bands.map((band) => {
    const sums = new Float64Array(maxLabel + 1);
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      const v = band.values[i]!;
      if (!Number.isNaN(label) && !Number.isNaN(v)) sums[label]! += v;
    }
    const scale = byteScale(band.values);
    return labels.map((label) => (Number.isNaN(label) || label === 0 || counts[label] === 0 ? 0 : Math.round(scale(sums[label]! / counts[label]!))));
  });
}

function byteScale(values: Float64Array): (v: number) => number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= 0 && max <= 255) return (v) => v;
  const span = max > min ? max - min : 1;
  return (v) => Math.max(0, Math.min(255, ((v - min) / span) * 255));
}
