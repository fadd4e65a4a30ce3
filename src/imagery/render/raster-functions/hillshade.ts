import type { PixelBlock } from '../pixel-block.js';
import { numberArg, type RasterFunction } from './raster-function.js';

/**
 * Hillshade of the first band (Horn's 3×3 slope and aspect, as ArcGIS and `gdaldem hillshade`):
 * 255 × (cos(zenith)·cos(slope) + sin(zenith)·sin(slope)·cos(azimuth − aspect)), clamped at 0.
 * Arguments: `Azimuth` (315), `Altitude` (45), `ZFactor` (1), and for `SlopeType` 3 (scaled)
 * `PSPower` (0.664) and `PSZFactor` (0.024), which grow the z factor with the cell size so small
 * scales keep their relief. Cell sizes are ground metres (context), so geographic and Web Mercator
 * grids shade like projected ones. Reads one pixel around the grid; a missing neighbour takes the
 * centre's value. Output U8, one band.
 */
export const hillshadeFunction: RasterFunction = {
  description: 'Shaded relief of an elevation surface from a light source (azimuth, altitude, z factor).',
  margin: () => 1,
  apply: (block, args, context) => {
    const azimuth = (numberArg(args, 'Azimuth', 315) * Math.PI) / 180;
    const zenith = ((90 - numberArg(args, 'Altitude', 45)) * Math.PI) / 180;
    const [cellX, cellY] = context.cellSize;
    let z = numberArg(args, 'ZFactor', 1);
    if (numberArg(args, 'SlopeType', 1) === 3) z *= Math.pow((cellX + cellY) / 2, numberArg(args, 'PSPower', 0.664)) * numberArg(args, 'PSZFactor', 0.024);
    return shade(block, { azimuth, zenith, z, cellX, cellY });
  },
};

interface Light {
  azimuth: number;
  zenith: number;
  z: number;
  cellX: number;
  cellY: number;
}

function shade(block: PixelBlock, light: Light): PixelBlock {
  const { width, height, mask } = block;
  const elevation = block.bands[0];
  const out = new Uint8Array(width * height);
  // Esri's aspect is measured from north, clockwise; the light's azimuth becomes a math angle.
  const azimuthMath = (2 * Math.PI - light.azimuth + Math.PI / 2) % (2 * Math.PI);
  // 255·(cos zenith·cos slope + sin zenith·sin slope·cos(azimuth − aspect)) written without
  // trigonometry per cell (slope = atan(z·|g|), aspect = atan2(dz/dy, −dz/dx)), as gdaldem does:
  // the same values, several times faster on large grids.
  const cosZenith = 255 * Math.cos(light.zenith);
  const ax = -255 * Math.sin(light.zenith) * Math.cos(azimuthMath) * light.z;
  const ay = 255 * Math.sin(light.zenith) * Math.sin(azimuthMath) * light.z;
  const z2 = light.z * light.z;
  const sx = 8 * light.cellX;
  const sy = 8 * light.cellY;
  const shadeOf = (a: number, b: number, c: number, d: number, f: number, g: number, h: number, k: number): number => {
    const dzdx = (c + 2 * f + k - (a + 2 * d + g)) / sx;
    const dzdy = (g + 2 * h + k - (a + 2 * b + c)) / sy;
    const value = (cosZenith + ax * dzdx + ay * dzdy) / Math.sqrt(1 + z2 * (dzdx * dzdx + dzdy * dzdy));
    return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
  };
  // Cells with data: the mask set and the value a number; the output's mask is theirs. Edge
  // cells, and cells beside one without data, take the slow path (missing neighbours take the
  // centre's value).
  const outMask = new Uint8Array(width * height);
  for (let i = 0; i < outMask.length; i++) outMask[i] = elevation[i] === elevation[i] ? mask[i] : 0;
  const at = (col: number, row: number, fallback: number): number => {
    if (col < 0 || row < 0 || col >= width || row >= height) return fallback;
    const i = row * width + col;
    return outMask[i] === 0 ? fallback : elevation[i];
  };
  const edge = (col: number, row: number, e: number): number =>
    shadeOf(at(col - 1, row - 1, e), at(col, row - 1, e), at(col + 1, row - 1, e), at(col - 1, row, e), at(col + 1, row, e), at(col - 1, row + 1, e), at(col, row + 1, e), at(col + 1, row + 1, e));
  for (let row = 0; row < height; row++) {
    const inner = row > 0 && row < height - 1;
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      if (outMask[i] === 0) continue;
      const up = i - width;
      const down = i + width;
      if (inner && col > 0 && col < width - 1 && outMask[up - 1] !== 0 && outMask[up] !== 0 && outMask[up + 1] !== 0 && outMask[i - 1] !== 0 && outMask[i + 1] !== 0 && outMask[down - 1] !== 0 && outMask[down] !== 0 && outMask[down + 1] !== 0) {
        out[i] = shadeOf(elevation[up - 1], elevation[up], elevation[up + 1], elevation[i - 1], elevation[i + 1], elevation[down - 1], elevation[down], elevation[down + 1]);
      } else out[i] = edge(col, row, elevation[i]);
    }
  }
  return { width, height, bands: [out], mask: outMask, pixelType: 'U8' };
}
