import { ApiError } from '../../../errors.js';
import type { SpatialReference } from '../../../geometry/spatial-reference.js';
import type { PixelBlock } from '../pixel-block.js';
import type { RenderGrid } from '../render-grid.js';
import { pointTransformer, resolveSrs } from '../srs-cache.js';
import { numberArg, type FunctionArguments, type RasterFunction } from './raster-function.js';

type Ring = Array<[number, number]>;

/**
 * Clip: `ClipType` (or `ClippingType`) 1 keeps the pixels whose centre is inside
 * `ClippingGeometry` (a polygon or an envelope, in its own spatial reference; the grid's when it
 * has none), 2 keeps those outside; the others become no data. Without a geometry,
 * `ClippingRaster` (another raster, or a function of one) is the clip: the cells where it has
 * valid pixels once drawn on the grid (nearest neighbour), i.e. its extent less its no data, as
 * the Clip function's "clipping raster" footprint; else `Extent` is the clip. Values and pixel
 * type are unchanged.
 */
export const clipFunction: RasterFunction = {
  description: 'Keeps the pixels inside (ClipType 1) or outside (ClipType 2) a polygon or extent.',
  apply: (block, args, context) => {
    const clipType = numberArg(args, 'ClipType', numberArg(args, 'ClippingType', 1));
    if (clipType !== 1 && clipType !== 2) throw invalid('ClipType must be 1 (keep inside) or 2 (keep outside)');
    // Non-zero inside: a clipping raster's own mask serves as it is (no copy).
    let inside: Uint8Array;
    if (context.clipping && !args.ClippingGeometry) {
      inside = context.clipping.mask;
    } else {
      const geometry = (args.ClippingGeometry ?? args.Extent) as Record<string, unknown> | undefined;
      if (!geometry || typeof geometry !== 'object') throw invalid('Clip needs ClippingGeometry (a polygon or an envelope) or ClippingRaster');
      inside = insideMask(ringsOf(geometry), geometry.spatialReference as SpatialReference | undefined, context.grid, block);
    }
    const mask = new Uint8Array(block.mask.length);
    const keep = clipType === 1 ? 1 : 0;
    for (let i = 0; i < mask.length; i++) mask[i] = (inside[i] === 0 ? 0 : 1) === keep ? block.mask[i] : 0;
    return { ...block, mask };
  },
};

/** True when the rule (or a function it reads) clips to the inside of a shape: the output can shrink to it. */
export function isInsideClip(args: FunctionArguments): boolean {
  return numberArg(args, 'ClipType', numberArg(args, 'ClippingType', 1)) === 1;
}

function ringsOf(geometry: Record<string, unknown>): Ring[] {
  if (Array.isArray(geometry.rings)) {
    const rings = (geometry.rings as unknown[]).filter(Array.isArray) as unknown[][];
    const out = rings.map((ring) => ring.map((p) => (Array.isArray(p) ? [Number(p[0]), Number(p[1])] : [Number.NaN, Number.NaN])) as Ring);
    if (out.length === 0 || out.some((r) => r.length < 3 || r.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y)))) throw invalid('ClippingGeometry rings must hold x, y points');
    return out;
  }
  const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => Number(geometry[k]));
  if (![xmin, ymin, xmax, ymax].every(Number.isFinite) || xmin >= xmax || ymin >= ymax) throw invalid('ClippingGeometry must be a polygon (rings) or an envelope (xmin, ymin, xmax, ymax)');
  // Densified so an envelope in another reference keeps its curved edges.
  const ring: Ring = [];
  const steps = 16;
  for (let i = 0; i < steps; i++) ring.push([xmin + ((xmax - xmin) * i) / steps, ymin]);
  for (let i = 0; i < steps; i++) ring.push([xmax, ymin + ((ymax - ymin) * i) / steps]);
  for (let i = 0; i < steps; i++) ring.push([xmax - ((xmax - xmin) * i) / steps, ymax]);
  for (let i = 0; i < steps; i++) ring.push([xmin, ymax - ((ymax - ymin) * i) / steps]);
  return [ring];
}

/**
 * 1 for the pixels whose centre lies inside the rings (even-odd rule, so holes are holes), by
 * scanlines over the grid: the same cells whichever path (exportImage or GenerateRaster) asks.
 */
function insideMask(rings: Ring[], sr: SpatialReference | undefined, grid: RenderGrid, block: PixelBlock): Uint8Array {
  const to = sr && (sr.wkid !== undefined || sr.latestWkid !== undefined || sr.wkt) ? pointTransformer(resolveSrs(sr, 'renderingRule'), grid.srs) : (x: number, y: number) => [x, y] as [number, number];
  const { width, height } = block;
  const rx = (grid.bbox.xmax - grid.bbox.xmin) / grid.width;
  const ry = (grid.bbox.ymax - grid.bbox.ymin) / grid.height;
  // Ring vertices in pixel units of the grid.
  const pixelRings = rings.map((ring) =>
    ring.map(([x, y]) => {
      const p = to(x, y);
      if (!p) throw invalid('ClippingGeometry cannot be placed in the raster\'s spatial reference');
      return [(p[0] - grid.bbox.xmin) / rx, (grid.bbox.ymax - p[1]) / ry] as [number, number];
    }),
  );
  const out = new Uint8Array(width * height);
  const crossings: number[] = [];
  for (let row = 0; row < height; row++) {
    const y = row + 0.5;
    crossings.length = 0;
    for (const ring of pixelRings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x1, y1] = ring[j];
        const [x2, y2] = ring[i];
        if ((y1 <= y && y < y2) || (y2 <= y && y < y1)) crossings.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixel centres c + 0.5 within [from, to).
      const first = Math.max(0, Math.ceil(crossings[k] - 0.5));
      const last = Math.min(width - 1, Math.ceil(crossings[k + 1] - 0.5) - 1);
      out.fill(1, row * width + first, first <= last ? row * width + last + 1 : row * width + first);
    }
  }
  return out;
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${detail}`);
}
