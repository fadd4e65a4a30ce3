import { ApiError } from '../../../errors.js';
import { pixelTypeInfo, type BandArray, type PixelBlock } from '../pixel-block.js';
import type { RasterFunction } from './raster-function.js';

/**
 * CompositeBand: the bands of every raster in `Rasters`, in order, as one multiband raster. A
 * pixel is no data where any input has none. Inputs of one pixel type keep it; mixed types
 * become F32 (F64 when a 32-bit integer or F64 input would lose digits in F32).
 */
export const compositeBandFunction: RasterFunction = {
  description: 'Combines the bands of several rasters into one multiband raster.',
  apply: (_block, _args, context) => {
    const inputs = context.rasters ?? [];
    if (inputs.length === 0) throw invalid('CompositeBand needs Rasters (a list of rasters)');
    const blocks = inputs.map((input) => {
      if (typeof input === 'number') throw invalid('CompositeBand Rasters must be rasters, not constants');
      return input;
    });
    const pixelType = commonType(blocks);
    const { array } = pixelTypeInfo(pixelType);
    const first = blocks[0];
    const mask = Uint8Array.from(first.mask);
    const bands: BandArray[] = [];
    for (const block of blocks) {
      if (block.width !== first.width || block.height !== first.height) throw invalid('CompositeBand Rasters must share one grid');
      for (let i = 0; i < mask.length; i++) if (block.mask[i] < mask[i]) mask[i] = block.mask[i];
      for (const band of block.bands) bands.push(block.pixelType === pixelType ? band : (array as unknown as { from(a: ArrayLike<number>): BandArray }).from(band));
    }
    return { width: first.width, height: first.height, bands, mask, pixelType };
  },
};

function commonType(blocks: PixelBlock[]): string {
  const types = new Set(blocks.map((b) => b.pixelType));
  if (types.size === 1) return blocks[0].pixelType;
  return [...types].some((t) => ['S32', 'U32', 'F64'].includes(t)) ? 'F64' : 'F32';
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${detail}`);
}
