import type gdal from 'gdal-async';

/** The overview factors a stored raster gets: 2, 4, … while the level is at least 256 pixels wide. */
export function overviewLevels(width: number, height: number): number[] {
  const levels: number[] = [];
  for (let factor = 2; Math.max(width, height) / factor >= 256; factor *= 2) levels.push(factor);
  return levels;
}

/**
 * Internal overviews computed from pixels already in memory, as `gdaladdo` would make them
 * (`average` of the valid cells of each block for floats, the cell `nearest` picks for
 * integers; nodata where a block has no valid cell) without GDAL reading the raster back:
 * that pass cost as much as the analysis itself on 2000² grids (bench/raster-analysis.ts).
 * `bands` are the full-resolution values of the dataset's bands, which must not have a mask band.
 * Levels are built in the band's own array type (Float32 averages round as GDAL's conversion
 * would): half the bytes, and their fresh pages, of doubles. `stride`: cells from one row of
 * `bands` to the next, when they are a window of wider rows.
 */
export async function writeOverviews(dataset: gdal.Dataset, bands: ArrayLike<number>[], width: number, height: number, float: boolean, noData: number | null, stride = width): Promise<number[]> {
  const levels = overviewLevels(width, height);
  if (levels.length === 0) return levels;
  await dataset.buildOverviewsAsync('NONE', levels);
  for (let b = 0; b < bands.length; b++) {
    const band = await dataset.bands.getAsync(b + 1);
    for (const [k, factor] of levels.entries()) {
      const overview = band.overviews.get(k);
      const { x: ow, y: oh } = overview.size;
      const out = float ? averageLevel(bands[b], width, height, stride, factor, ow, oh, noData, band.dataType === 'Float32' ? Float32Array : Float64Array) : nearestLevel(bands[b], width, height, stride, factor, ow, oh);
      await overview.pixels.writeAsync(0, 0, ow, oh, out as never);
    }
  }
  return levels;
}

function averageLevel(values: ArrayLike<number>, width: number, height: number, stride: number, factor: number, ow: number, oh: number, noData: number | null, Out: new (n: number) => Float32Array | Float64Array): Float32Array | Float64Array {
  const out = new Out(ow * oh);
  for (let oy = 0; oy < oh; oy++) {
    const y0 = oy * factor;
    const y1 = Math.min(height, y0 + factor);
    for (let ox = 0; ox < ow; ox++) {
      const x0 = ox * factor;
      const x1 = Math.min(width, x0 + factor);
      let sum = 0;
      let count = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const v = values[y * stride + x];
          if (v === noData || Number.isNaN(v)) continue;
          sum += v;
          count++;
        }
      }
      out[oy * ow + ox] = count > 0 ? sum / count : (noData ?? Number.NaN);
    }
  }
  return out;
}

/** GDAL's nearest: the source cell under the centre of each overview cell (in the values' own array type). */
function nearestLevel(values: ArrayLike<number>, width: number, height: number, stride: number, factor: number, ow: number, oh: number): ArrayLike<number> {
  const Out = ArrayBuffer.isView(values) ? (values.constructor as new (n: number) => Float64Array) : Float64Array;
  const out = new Out(ow * oh);
  for (let oy = 0; oy < oh; oy++) {
    const y = Math.min(height - 1, Math.floor((oy + 0.5) * factor));
    for (let ox = 0; ox < ow; ox++) out[oy * ow + ox] = values[y * stride + Math.min(width - 1, Math.floor((ox + 0.5) * factor))];
  }
  return out;
}

/**
 * writeOverviews' nearest levels for an integer band written a strip of rows at a time: each
 * level keeps the source rows its cells pick as the strips pass, so no whole grid is held.
 */
export class StripOverviews<T extends Int32Array | Int16Array | Uint8Array> {
  private readonly levels: Array<{ factor: number; ow: number; oh: number; out: T }>;

  constructor(private readonly width: number, private readonly height: number, Type: new (n: number) => T) {
    // GDAL's overview sizes: each side divided by the factor, rounded up.
    this.levels = overviewLevels(width, height).map((factor) => {
      const ow = Math.ceil(width / factor);
      const oh = Math.ceil(height / factor);
      return { factor, ow, oh, out: new Type(ow * oh) };
    });
  }

  /** Takes the picked cells of rows firstRow … firstRow + rows - 1 (`strip`, row-major). */
  take(strip: T, firstRow: number, rows: number): void {
    const { width, height } = this;
    for (const { factor, ow, oh, out } of this.levels) {
      for (let oy = Math.max(0, Math.floor(firstRow / factor) - 1); oy < oh; oy++) {
        const y = Math.min(height - 1, Math.floor((oy + 0.5) * factor));
        if (y < firstRow) continue;
        if (y >= firstRow + rows) break;
        const line = (y - firstRow) * width;
        for (let ox = 0; ox < ow; ox++) out[oy * ow + ox] = strip[line + Math.min(width - 1, Math.floor((ox + 0.5) * factor))];
      }
    }
  }

  /** Makes band `band`'s overviews (as writeOverviews) and writes the levels taken. */
  async writeTo(dataset: gdal.Dataset, band: gdal.RasterBand): Promise<void> {
    if (this.levels.length === 0) return;
    await dataset.buildOverviewsAsync('NONE', this.levels.map((l) => l.factor));
    for (const [k, { ow, oh, out }] of this.levels.entries()) {
      const overview = band.overviews.get(k);
      if (overview.size.x !== ow || overview.size.y !== oh) throw new Error(`overview ${k} is ${overview.size.x}×${overview.size.y}, not ${ow}×${oh}`);
      await overview.pixels.writeAsync(0, 0, ow, oh, out as never);
    }
  }
}
