import { ApiError } from '../../../errors.js';
import type { PixelBlock } from '../pixel-block.js';
import { blockStatistics } from '../block-statistics.js';
import type { FunctionArguments, FunctionContext, RasterFunction } from './raster-function.js';

type Rgb = [number, number, number];

/** Named ramps, as stops over 0…1 of the band's range (NDVI: over its 0–200 scale). */
const NAMED_RAMPS: Record<string, Array<[number, Rgb]>> = {
  gray: [[0, [0, 0, 0]], [1, [255, 255, 255]]],
  elevation: [[0, [38, 115, 0]], [0.25, [145, 191, 82]], [0.5, [255, 255, 190]], [0.75, [168, 112, 0]], [1, [255, 255, 255]]],
  ndvi: [[0, [255, 255, 255]], [0.45, [196, 170, 125]], [0.5, [230, 230, 200]], [0.6, [166, 217, 106]], [0.75, [26, 150, 65]], [1, [0, 80, 0]]],
};

/**
 * Colormap: maps the first band to RGB (U8, three bands). `Colormap` gives explicit entries
 * `[[value, r, g, b], …]` (values without an entry become transparent); `ColormapName`
 * (`Gray`, `Elevation`, `NDVI`, `Random`) and `ColorRamp` (algorithmic `fromColor`/`toColor`, or
 * multipart) spread a ramp over the band's value range (NDVI: its 0–200 scale).
 */
export const colormapFunction: RasterFunction = {
  description: 'Maps pixel values to colours: explicit entries, a named colormap or a color ramp.',
  readsStatistics: true,
  apply: (block, args, context) => applyColormap(block, args, context),
};

function applyColormap(block: PixelBlock, args: FunctionArguments, context: FunctionContext): PixelBlock {
  if (Array.isArray(args.Colormap)) return lookUp(block, explicitEntries(args.Colormap));
  const name = typeof args.ColormapName === 'string' ? args.ColormapName.toLowerCase() : undefined;
  if (name === 'random') return lookUp(block, (v) => randomColor(Math.round(v)));
  const stops = name ? NAMED_RAMPS[name] : args.ColorRamp ? rampStops(args.ColorRamp) : undefined;
  if (!stops) throw ApiError.invalidParameter("'renderingRule' parameter is invalid: Colormap needs Colormap, ColormapName or ColorRamp");
  const range = name === 'ndvi' ? { min: 0, max: 200 } : valueRange(block, context);
  const span = range.max - range.min || 1;
  return lookUp(block, (v) => interpolate(stops, (v - range.min) / span));
}

function explicitEntries(entries: unknown[]): (value: number) => Rgb | null {
  const table = new Map<number, Rgb>();
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length < 4) throw ApiError.invalidParameter("'renderingRule' parameter is invalid: Colormap entries are [value, r, g, b]");
    table.set(Number(entry[0]), [Number(entry[1]), Number(entry[2]), Number(entry[3])]);
  }
  return (value) => table.get(Math.round(value)) ?? null;
}

/**
 * The collection's range when the function reads raw pixels (every view and tile then colours
 * alike); the pixels' own range when it reads another function's output (context has no statistics).
 */
function valueRange(block: PixelBlock, context: FunctionContext): { min: number; max: number } {
  return context.statistics?.[0] ?? blockStatistics(block, 0);
}

function rampStops(ramp: unknown): Array<[number, Rgb]> | undefined {
  if (!ramp || typeof ramp !== 'object') return undefined;
  const r = ramp as Record<string, unknown>;
  if (Array.isArray(r.colorRamps) && r.colorRamps.length > 0) {
    const parts = r.colorRamps.map(rampStops).filter((p): p is Array<[number, Rgb]> => p !== undefined);
    return parts.flatMap((stops, k) => stops.map(([t, c]) => [(k + t) / parts.length, c] as [number, Rgb]));
  }
  if (Array.isArray(r.fromColor) && Array.isArray(r.toColor)) {
    return [[0, r.fromColor.slice(0, 3).map(Number) as Rgb], [1, r.toColor.slice(0, 3).map(Number) as Rgb]];
  }
  return undefined;
}

function interpolate(stops: Array<[number, Rgb]>, t: number): Rgb {
  const x = Math.min(1, Math.max(0, t));
  for (let k = 1; k < stops.length; k++) {
    const [t1, c1] = stops[k];
    if (x > t1) continue;
    const [t0, c0] = stops[k - 1];
    const f = t1 > t0 ? (x - t0) / (t1 - t0) : 0;
    return [0, 1, 2].map((j) => Math.round(c0[j] + f * (c1[j] - c0[j]))) as Rgb;
  }
  return stops[stops.length - 1][1];
}

/** A stable colour per class value (a multiplicative hash), as the Random colormap needs. */
function randomColor(value: number): Rgb {
  const h = Math.imul(value ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff];
}

function lookUp(block: PixelBlock, colorOf: (value: number) => Rgb | null): PixelBlock {
  const n = block.width * block.height;
  const rgb = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  const mask = new Uint8Array(n);
  const values = block.bands[0];
  for (let i = 0; i < n; i++) {
    if (block.mask[i] === 0 || Number.isNaN(values[i])) continue;
    const color = colorOf(values[i]);
    if (!color) continue;
    rgb[0][i] = color[0];
    rgb[1][i] = color[1];
    rgb[2][i] = color[2];
    mask[i] = block.mask[i];
  }
  return { width: block.width, height: block.height, bands: rgb, mask, pixelType: 'U8' };
}
