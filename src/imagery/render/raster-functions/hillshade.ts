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
  const outMask = new Uint8Array(width * height);
  // Esri's aspect is measured from north, clockwise; the light's azimuth becomes a math angle.
  const azimuthMath = (2 * Math.PI - light.azimuth + Math.PI / 2) % (2 * Math.PI);
  const cosZenith = Math.cos(light.zenith);
  const sinZenith = Math.sin(light.zenith);
  const at = (col: number, row: number, fallback: number): number => {
    if (col < 0 || row < 0 || col >= width || row >= height) return fallback;
    const i = row * width + col;
    return mask[i] === 0 || Number.isNaN(elevation[i]) ? fallback : elevation[i];
  };
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      if (mask[i] === 0 || Number.isNaN(elevation[i])) continue;
      const e = elevation[i];
      const a = at(col - 1, row - 1, e);
      const b = at(col, row - 1, e);
      const c = at(col + 1, row - 1, e);
      const d = at(col - 1, row, e);
      const f = at(col + 1, row, e);
      const g = at(col - 1, row + 1, e);
      const h = at(col, row + 1, e);
      const k = at(col + 1, row + 1, e);
      const dzdx = (c + 2 * f + k - (a + 2 * d + g)) / (8 * light.cellX);
      const dzdy = (g + 2 * h + k - (a + 2 * b + c)) / (8 * light.cellY);
      const slope = Math.atan(light.z * Math.hypot(dzdx, dzdy));
      let aspect = 0;
      if (dzdx !== 0) {
        aspect = Math.atan2(dzdy, -dzdx);
        if (aspect < 0) aspect += 2 * Math.PI;
      } else if (dzdy > 0) aspect = Math.PI / 2;
      else if (dzdy < 0) aspect = (3 * Math.PI) / 2;
      const value = 255 * (cosZenith * Math.cos(slope) + sinZenith * Math.sin(slope) * Math.cos(azimuthMath - aspect));
      out[i] = Math.max(0, Math.min(255, Math.round(value)));
      outMask[i] = mask[i];
    }
  }
  return { width, height, bands: [out], mask: outMask, pixelType: 'U8' };
}
