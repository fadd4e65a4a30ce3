import type { BandStatistics } from '../store/catalog-store.js';
import type { PixelBlock } from './pixel-block.js';
import { blockStatistics } from './block-statistics.js';
import { interleavedPixels } from './pixel-buffers.js';

/** 8-bit channels ready for PNG/JPEG: one (grey) or three (RGB), plus the coverage mask as alpha. */
export interface DisplayImage {
  width: number;
  height: number;
  channels: Uint8Array[];
  alpha: Uint8Array;
  /** The channels pixel-interleaved, when the pixels were read so: encoders take it as it is. */
  interleaved?: Uint8Array;
}

/**
 * Turns rendered pixels into display channels. Three or more bands show as RGB (the first three,
 * or Red/Green/Blue by colour interpretation when the raw mosaic is shown), fewer as grey. Data
 * that is not 8-bit gets the default stretch ArcGIS applies: min–max over the collection's
 * statistics when raw pixels are shown (so every view and tile match), else over the pixels.
 *
 * @example toDisplay(block, { statistics: collection.summary.statistics, colorInterpretations: [] })
 */
export function toDisplay(block: PixelBlock, source: { statistics: BandStatistics[] | null; colorInterpretations: string[] }): DisplayImage {
  const pixels = interleavedPixels(block);
  if (pixels && pixels.length === 3 * block.width * block.height && isRgbInOrder(3, source.colorInterpretations)) {
    // Planes only for an encoder that wants them (BMP); touching `bands` splits them out.
    return { width: block.width, height: block.height, alpha: block.mask, interleaved: pixels, get channels() { return block.bands.slice(0, 3) as Uint8Array[]; } };
  }
  const order = displayBands(block.bands.length, source.colorInterpretations);
  const channels = order.map((b) => toByte(block, b, source.statistics?.[b] ?? null));
  return { width: block.width, height: block.height, channels, alpha: block.mask };
}

/** True when the bands of a collection show as they are stored: three, red green blue in that order. */
export function isRgbInOrder(bandCount: number, colorInterpretations: string[]): boolean {
  return bandCount === 3 && displayBands(bandCount, colorInterpretations).every((band, i) => band === i);
}

function displayBands(count: number, colorInterpretations: string[]): number[] {
  if (count < 3) return [0];
  const find = (name: string) => colorInterpretations.findIndex((c) => c.toLowerCase() === name);
  const rgb = [find('red'), find('green'), find('blue')];
  if (rgb.every((i) => i >= 0 && i < count)) return rgb;
  return [0, 1, 2];
}

function toByte(block: PixelBlock, band: number, statistics: BandStatistics | null): Uint8Array {
  const values = block.bands[band];
  if (block.pixelType === 'U8') return values as Uint8Array;
  const range = statistics ?? blockStatistics(block, band);
  const span = range.max - range.min;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (block.mask[i] === 0) continue;
    const t = span > 0 ? (values[i] - range.min) / span : 0;
    out[i] = Math.round(255 * Math.min(1, Math.max(0, t)));
  }
  return out;
}
