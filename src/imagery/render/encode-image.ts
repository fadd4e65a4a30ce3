import gdal from 'gdal-async';
import sharp, { type Sharp } from 'sharp';
import type { DisplayImage } from './to-display.js';
import { dropQuietly, releaseVsimem, uniqueVsimemName } from './vsimem-file.js';

/** Formats drawn from display channels (8-bit, with transparency where the format has it). */
export type DisplayFormat = 'png' | 'png8' | 'png24' | 'png32' | 'jpg' | 'jpgpng' | 'gif' | 'bmp';

export interface EncodedImage {
  bytes: Buffer;
  contentType: string;
  /** File extension for the f=json output file. */
  extension: string;
}

// libvips threads would compete with the libuv pool that runs GDAL; one per encode is plenty.
sharp.concurrency(1);
sharp.cache(false);

/**
 * Encodes display channels with sharp (libvips). PNG at zlib(-ng) level 2 with libpng's adaptive
 * row filters: on rendered imagery that is a third smaller than level 1 unfiltered (which was
 * 20-40 % larger than MapServer's level 6) for ~5 ms more on a 512² view, and levels 3-6 only
 * add time (docs/imagery.md). JPEG at `quality`; `jpgpng` is JPEG unless a pixel
 * is not fully opaque. png8 is palette-quantised (slow: never a default). BMP goes through GDAL
 * (no alpha).
 */
export async function encodeDisplay(image: DisplayImage, format: DisplayFormat, quality: number): Promise<EncodedImage> {
  const opaque = isOpaque(image.alpha);
  if (format === 'jpgpng') format = opaque ? 'jpg' : 'png32';
  if (format === 'bmp') return encodeBmp(image);
  if (format === 'jpg') {
    // Huffman optimisation would double the encoding time for a few per cent of size.
    const bytes = await raw(image, false, opaque).jpeg({ quality: clampQuality(quality), chromaSubsampling: '4:2:0', optimiseCoding: false }).toBuffer();
    return { bytes, contentType: 'image/jpeg', extension: 'jpg' };
  }
  if (format === 'gif') {
    const bytes = await raw(image, !opaque, opaque).gif({ effort: 1 }).toBuffer();
    return { bytes, contentType: 'image/gif', extension: 'gif' };
  }
  const palette = format === 'png8';
  // png24 has no alpha channel in ArcGIS terms, but an image with holes must still show them.
  const withAlpha = !opaque || format === 'png32';
  const bytes = await raw(image, withAlpha, opaque)
    .png(palette ? { palette: true, colours: 256, effort: 1, dither: 0, compressionLevel: 4 } : { compressionLevel: 2, adaptiveFiltering: true })
    .toBuffer();
  return { bytes, contentType: 'image/png', extension: 'png' };
}

/**
 * The raw image sharp reads: the interleaved channels when the pixels were read so, else the
 * planes joined into one interleaved image by libvips (`bandjoin`, on its own thread, not this
 * one; 3–5 ms of it per 512² RGB view). Without alpha in the output (JPEG…), no-data pixels
 * become black rather than whatever was under them.
 */
function raw(image: DisplayImage, withAlpha: boolean, opaque: boolean): Sharp {
  const { width, height, alpha, interleaved } = image;
  if (interleaved) {
    const channels = interleaved.length / (width * height);
    const pixels = !withAlpha && !opaque ? blackWhereTransparent(interleaved, alpha, channels) : interleaved;
    const rgb = sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: channels as 3 } });
    return withAlpha ? rgb.joinChannel(Buffer.from(alpha.buffer, alpha.byteOffset, alpha.byteLength), { raw: { width, height, channels: 1 } }) : rgb;
  }
  let channels = image.channels;
  if (!withAlpha && !opaque) channels = channels.map((channel) => blackWhereTransparent(channel, alpha, 1));
  const planes = withAlpha ? [...channels, alpha] : channels;
  const plane = { raw: { width, height, channels: 1 as const } };
  const [first, ...rest] = planes.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  return rest.length === 0 ? sharp(first, plane) : sharp(first, plane).joinChannel(rest, plane);
}

/** A copy of `values` (`channels` per pixel) with every value of a pixel whose alpha is 0 set to 0. */
function blackWhereTransparent(values: Uint8Array, alpha: Uint8Array, channels: number): Uint8Array {
  const out = new Uint8Array(values);
  for (let i = 0; i < alpha.length; i++) {
    if (alpha[i] === 0) for (let c = i * channels; c < (i + 1) * channels; c++) out[c] = 0;
  }
  return out;
}

const OPAQUE_ROW = Buffer.alloc(64 * 1024, 255);

/** True when every alpha value is 255: memcmp against a row of 255s, chunk by chunk. */
function isOpaque(alpha: Uint8Array): boolean {
  const bytes = Buffer.from(alpha.buffer, alpha.byteOffset, alpha.byteLength);
  for (let start = 0; start < bytes.length; start += OPAQUE_ROW.length) {
    const end = Math.min(bytes.length, start + OPAQUE_ROW.length);
    if (bytes.compare(OPAQUE_ROW, 0, end - start, start, end) !== 0) return false;
  }
  return true;
}

function clampQuality(quality: number): number {
  return Math.min(100, Math.max(1, Math.round(quality)));
}

async function encodeBmp(image: DisplayImage): Promise<EncodedImage> {
  const { width, height, channels } = image;
  const mem = gdal.drivers.get('MEM').create('', width, height, channels.length, gdal.GDT_Byte);
  channels.forEach((channel, c) => mem.bands.get(c + 1).pixels.write(0, 0, width, height, channel));
  const name = uniqueVsimemName('bmp');
  try {
    (await gdal.drivers.get('BMP').createCopyAsync(name, mem)).close();
    return { bytes: releaseVsimem(name), contentType: 'image/bmp', extension: 'bmp' };
  } finally {
    mem.close();
    dropQuietly(name);
  }
}
