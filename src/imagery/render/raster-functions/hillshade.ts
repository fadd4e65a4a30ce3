import type { PixelBlock } from '../pixel-block.js';
import { hornRows } from './horn.js';
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
  const { width, height } = block;
  const out = new Uint8Array(width * height);
  // Esri's aspect is measured from north, clockwise; the light's azimuth becomes a math angle.
  const azimuthMath = (2 * Math.PI - light.azimuth + Math.PI / 2) % (2 * Math.PI);
  // 255·(cos zenith·cos slope + sin zenith·sin slope·cos(azimuth − aspect)) written without
  // trigonometry per cell (slope = atan(z·|g|), aspect = atan2(dz/dy, −dz/dx)), as gdaldem does:
  // the same values, several times faster on large grids.
  const terms: ShadeTerms = {
    cosZenith: 255 * Math.cos(light.zenith),
    ax: -255 * Math.sin(light.zenith) * Math.cos(azimuthMath) * light.z,
    ay: 255 * Math.sin(light.zenith) * Math.sin(azimuthMath) * light.z,
    z2: light.z * light.z,
    sx: 8 * light.cellX,
    sy: 8 * light.cellY,
  };
  const outMask = hornRows(block, (row, gx, gy, valid) => shadeRow(out, row * width, width, gx, gy, valid, terms));
  return { width, height, bands: [out], mask: outMask, pixelType: 'U8' };
}

interface ShadeTerms {
  cosZenith: number;
  ax: number;
  ay: number;
  z2: number;
  sx: number;
  sy: number;
}

function shadeRow(out: Uint8Array, i0: number, width: number, gx: Float64Array, gy: Float64Array, valid: Uint8Array, t: ShadeTerms): void {
  const { cosZenith, ax, ay, z2, sx, sy } = t;
  for (let col = 0; col < width; col++) {
    if (valid[col] === 0) continue;
    const dzdx = gx[col] / sx;
    const dzdy = gy[col] / sy;
    const value = (cosZenith + ax * dzdx + ay * dzdy) / Math.sqrt(1 + z2 * (dzdx * dzdx + dzdy * dzdy));
    out[i0 + col] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
  }
}
