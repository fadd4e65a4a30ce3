import { pixelTypeInfo, type PixelBlock } from './pixel-block.js';

/**
 * The block in another pixel type: values out of the type's range are clipped (exportImage's
 * rule), integers rounded. The same block when the type does not change.
 *
 * @example convertBlock(f32Block, 'U8') // 300.7 → 255, -2 → 0, 12.5 → 13
 */
export function convertBlock(block: PixelBlock, pixelType: string): PixelBlock {
  const target = pixelType.toUpperCase();
  if (target === block.pixelType) return block;
  const type = pixelTypeInfo(target);
  const bands = block.bands.map((values) => {
    const out = new type.array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      const clipped = v < type.min ? type.min : v > type.max ? type.max : v;
      out[i] = type.integer ? Math.round(clipped) : clipped;
    }
    return out;
  });
  return { ...block, bands, pixelType: target };
}

/**
 * The value written where there is no data when the client gave none: NaN cannot be told apart
 * from data by every reader, so the type's lowest value (0 for unsigned types, as ArcGIS does).
 */
export function defaultNoData(pixelType: string): number {
  const type = pixelTypeInfo(pixelType);
  return type.integer ? type.min : -3.4028234663852886e38;
}

/** Writes `noData` into every pixel the mask marks as empty (in place). */
export function fillNoData(block: PixelBlock, noData: number[]): void {
  block.bands.forEach((values, b) => {
    const value = noData[Math.min(b, noData.length - 1)];
    for (let i = 0; i < values.length; i++) if (block.mask[i] === 0) values[i] = value;
  });
}
