/**
 * ArcGIS back-link codes from GRASS `r.cost` movement directions. r.cost records, in degrees
 * counter-clockwise from east, the way from each cell back toward its source; ArcGIS numbers the
 * same eight ways clockwise from east (1 east, 2 south-east … 8 north-east) and gives sources 0.
 */
const BY_DEGREES = new Map<number, number>([
  [0, 1],
  [360, 1],
  [315, 2],
  [270, 3],
  [225, 4],
  [180, 5],
  [135, 6],
  [90, 7],
  [45, 8],
]);

export function backlinkFromGrassDirection(directions: Float64Array, accumulated: Float64Array): Float64Array {
  // A plain loop: Float64Array map with a callback is some 20× slower on 2000² grids.
  const codes = new Float64Array(directions.length);
  for (let i = 0; i < codes.length; i++) codes[i] = backlinkCode(directions[i]!, accumulated[i]!);
  return codes;
}

function backlinkCode(degrees: number, accumulated: number): number {
  if (Number.isNaN(accumulated)) return NaN;
  if (Number.isNaN(degrees)) return accumulated === 0 ? 0 : NaN;
  return BY_DEGREES.get(Math.round(degrees)) ?? NaN;
}

/** The other way: ArcGIS back-link codes as r.cost directions in degrees, east as 360 as r.cost writes it (sources and NoData: NaN). */
export function grassDegreesFromBacklink(backlink: Float64Array): Float64Array {
  const degrees = new Map([...BY_DEGREES].filter(([d]) => d !== 0).map(([d, code]) => [code, d]));
  return backlink.map((code) => degrees.get(code) ?? NaN);
}
