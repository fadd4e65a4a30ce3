import type { BandStatistics } from '../../store/catalog-store.js';
import type { PixelBlock } from '../pixel-block.js';
import type { RenderGrid } from '../render-grid.js';

/** What functions may need beside the pixels. */
export interface FunctionContext {
  /** Ground size of one output pixel in metres (x, y), for slope-based functions. */
  cellSize: [number, number];
  /** Per-band statistics of the collection's pixels, when the catalog has them. */
  statistics: BandStatistics[] | null;
  /** Where the block lies (Clip places its geometry on it). */
  grid: RenderGrid;
  /** The `Rasters` argument evaluated (CompositeBand, Local): blocks on the grid, or constants. */
  rasters?: Array<PixelBlock | number>;
  /** More input rasters on the grid, by source index (0 is the block itself). */
  sources?: PixelBlock[];
  /** Clip's `ClippingRaster` evaluated on the grid: its valid pixels are the clip. */
  clipping?: PixelBlock;
}

export type FunctionArguments = Record<string, unknown>;

/** A raster function: how many extra pixels it reads around the grid, and what it does. */
export interface RasterFunction {
  description: string;
  margin?: (args: FunctionArguments) => number;
  /** True when it reads `context.statistics` (the others are never given them, so none are computed). */
  readsStatistics?: boolean;
  apply: (block: PixelBlock, args: FunctionArguments, context: FunctionContext, outputPixelType?: string) => PixelBlock;
}

/** Reads a numeric argument (numbers may arrive as strings from some clients). */
export function numberArg(args: FunctionArguments, name: string, fallback: number): number {
  const value = args[name];
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export function booleanArg(args: FunctionArguments, name: string, fallback: boolean): boolean {
  const value = args[name];
  if (value === undefined || value === null || value === '') return fallback;
  return value === true || value === 'true' || value === 1;
}
