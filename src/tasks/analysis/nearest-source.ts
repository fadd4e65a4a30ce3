/**
 * Exact Euclidean nearest source of every cell of a grid (Felzenszwalb & Huttenlocher's two-pass
 * distance transform, keeping the argmin): what allocation and direction outputs need and GDAL's
 * proximity does not give. O(cells); cells may be rectangular (`cellX` × `cellY`).
 *
 * Returns, per cell, the index of its nearest source cell (-1 when there is no source) and the
 * squared distance to it in ground units.
 */
export function nearestSources(isSource: Uint8Array, width: number, height: number, cellX: number, cellY: number): { nearest: Int32Array; distance2: Float64Array } {
  const INF = Number.POSITIVE_INFINITY;
  // Pass 1, columns: nearest source row in the same column.
  const sourceRow = new Int32Array(width * height).fill(-1);
  for (let x = 0; x < width; x++) {
    let last = -1;
    for (let y = 0; y < height; y++) {
      if (isSource[y * width + x]) last = y;
      sourceRow[y * width + x] = last;
    }
    last = -1;
    for (let y = height - 1; y >= 0; y--) {
      const i = y * width + x;
      if (isSource[i]) last = y;
      if (last >= 0 && (sourceRow[i] < 0 || last - y < y - sourceRow[i])) sourceRow[i] = last;
    }
  }
  // Pass 2, rows: lower envelope of parabolas f(p) + ((q - p)·cellX)².
  const nearest = new Int32Array(width * height).fill(-1);
  const distance2 = new Float64Array(width * height).fill(INF);
  const f = new Float64Array(width);
  const v = new Int32Array(width);
  const z = new Float64Array(width + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const r = sourceRow[row + x];
      f[x] = r < 0 ? INF : ((r - y) * cellY) ** 2;
    }
    let k = -1;
    for (let q = 0; q < width; q++) {
      if (f[q] === INF) continue;
      const pq = q * cellX;
      while (k >= 0) {
        const pv = v[k] * cellX;
        const s = (f[q] + pq * pq - (f[v[k]] + pv * pv)) / (2 * (pq - pv));
        if (s <= z[k]) k--;
        else {
          k++;
          v[k] = q;
          z[k] = s;
          z[k + 1] = INF;
          break;
        }
      }
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = -INF;
        z[1] = INF;
      }
    }
    if (k < 0) continue;
    let j = 0;
    for (let q = 0; q < width; q++) {
      const pq = q * cellX;
      while (z[j + 1] < pq) j++;
      const p = v[j];
      const d = (pq - p * cellX) ** 2 + f[p];
      distance2[row + q] = d;
      nearest[row + q] = sourceRow[row + p] * width + p;
    }
  }
  return { nearest, distance2 };
}

/**
 * ArcGIS's Euclidean direction: degrees clockwise from north, from a cell towards the centre of
 * its nearest source (1–360, 360 = north); 0 on the sources themselves.
 */
export function directionTo(cell: number, source: number, width: number, cellX: number, cellY: number): number {
  if (cell === source) return 0;
  const dx = ((source % width) - (cell % width)) * cellX;
  const dy = (Math.floor(cell / width) - Math.floor(source / width)) * cellY;
  let degrees = (Math.atan2(dx, dy) * 180) / Math.PI;
  if (degrees <= 0) degrees += 360;
  return degrees;
}
