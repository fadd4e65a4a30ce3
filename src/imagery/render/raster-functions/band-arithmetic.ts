import { ApiError } from '../../../errors.js';
import type { PixelBlock } from '../pixel-block.js';
import { compileBandExpression, type BandExpression } from './band-expression.js';
import { booleanArg, numberArg, type FunctionArguments, type RasterFunction } from './raster-function.js';

/** Band indices (as `BandIndexes` lists them, 1-based) → value, for the predefined methods. */
type IndexFormula = { bands: number; formula: (v: number[], extra: number[]) => number };

const nd = (a: number, b: number) => (a - b) / (a + b);

/** Esri BandArithmetic methods this server computes, by `Method` code. */
const METHODS: Record<number, IndexFormula> = {
  1: { bands: 2, formula: ([nir, red]) => nd(nir, red) }, // NDVI "NIR Red"
  2: { bands: 2, formula: ([nir, red], [l = 0.5]) => ((nir - red) * (1 + l)) / (nir + red + l) }, // SAVI "NIR Red L"
  4: { bands: 2, formula: ([nir, red]) => (2 * nir + 1 - Math.sqrt((2 * nir + 1) ** 2 - 8 * (nir - red))) / 2 }, // MSAVI
  5: { bands: 2, formula: ([nir, red]) => gemi(nir, red) }, // GEMI
  9: { bands: 3, formula: ([red, green, blue]) => (green - red) / (green + red - blue) }, // VARI "Red Green Blue"
  10: { bands: 2, formula: ([nir, green]) => nd(nir, green) }, // GNDVI "NIR Green"
  11: { bands: 2, formula: ([nir, red]) => nir / red }, // SR "NIR Red"
  12: { bands: 2, formula: ([nir, redEdge]) => nd(nir, redEdge) }, // NDVIre
  18: { bands: 2, formula: ([nir, green]) => nd(green, nir) }, // NDWI "NIR Green"
  19: { bands: 3, formula: ([nir, red, blue]) => (2.5 * (nir - red)) / (nir + 6 * red - 7.5 * blue + 1) }, // EVI "NIR Red Blue"
  25: { bands: 2, formula: ([nir, swir2]) => nd(nir, swir2) }, // NBR
  26: { bands: 2, formula: ([swir1, nir]) => nd(swir1, nir) }, // NDBI "SWIR1 NIR"
  27: { bands: 2, formula: ([nir, swir1]) => nd(nir, swir1) }, // NDMI
  28: { bands: 2, formula: ([green, swir1]) => nd(green, swir1) }, // NDSI
  29: { bands: 2, formula: ([green, swir1]) => nd(green, swir1) }, // MNDWI
};

function gemi(nir: number, red: number): number {
  const eta = (2 * (nir * nir - red * red) + 1.5 * nir + 0.5 * red) / (nir + red + 0.5);
  return eta * (1 - 0.25 * eta) - (red - 0.125) / (1 - red);
}

/**
 * BandArithmetic: `Method` 0 evaluates `BandIndexes` as an expression over B1…Bn; the predefined
 * indices (1 NDVI, 2 SAVI, 4 MSAVI, 5 GEMI, 9 VARI, 10 GNDVI, 11 SR, 12 NDVIre, 18 NDWI, 19 EVI,
 * 25 NBR, 26 NDBI, 27 NDMI, 28 NDSI, 29 MNDWI) read 1-based band numbers from `BandIndexes`
 * ("4 3"). Output F32, one band; a pixel whose result is not finite becomes no data.
 */
export const bandArithmeticFunction: RasterFunction = {
  description: 'Computes an expression or a predefined index (NDVI, SAVI, EVI, …) over the bands.',
  apply: (block, args) => computeBandArithmetic(block, args),
};

/**
 * NDVI from `VisibleBandID` and `InfraredBandID` (0-based): (NIR − Red) / (NIR + Red), scaled
 * to 0–200 as U8 (value × 100 + 100), or F32 −1…1 with `Scientific` true.
 */
export const ndviFunction: RasterFunction = {
  description: 'Normalized Difference Vegetation Index, scaled 0–200 (or -1…1 with Scientific).',
  apply: (block, args) => {
    const red = numberArg(args, 'VisibleBandID', 0);
    const nir = numberArg(args, 'InfraredBandID', 1);
    requireBands(block, [red, nir]);
    const scientific = booleanArg(args, 'Scientific', false);
    const scale = scientific ? (v: number) => v : (v: number) => Math.round(v * 100 + 100);
    return mapPixels(block, (values) => scale(nd(values[nir], values[red])), scientific ? 'F32' : 'U8');
  },
};

function computeBandArithmetic(block: PixelBlock, args: FunctionArguments): PixelBlock {
  const method = numberArg(args, 'Method', 0);
  const text = String(args.BandIndexes ?? '').trim();
  if (method === 0) {
    const { evaluate, bands } = compileBandExpression(text);
    requireBands(block, bands);
    return mapPixels(block, evaluate, 'F32');
  }
  const known = METHODS[method];
  if (!known) throw ApiError.invalidParameter(`'renderingRule' parameter is invalid: BandArithmetic method ${method} is not supported`);
  const numbers = text.split(/[\s,]+/).filter(Boolean).map(Number);
  const indexes = numbers.slice(0, known.bands).map((n) => n - 1);
  if (indexes.length < known.bands || indexes.some((i) => !Number.isInteger(i))) {
    throw ApiError.invalidParameter(`'renderingRule' parameter is invalid: BandIndexes needs ${known.bands} band numbers for method ${method}`);
  }
  requireBands(block, indexes);
  const extra = numbers.slice(known.bands);
  const evaluate: BandExpression = (values) => known.formula(indexes.map((i) => values[i]), extra);
  return mapPixels(block, evaluate, 'F32');
}

function requireBands(block: PixelBlock, indexes: number[]): void {
  const missing = indexes.find((i) => i < 0 || i >= block.bands.length);
  if (missing !== undefined) {
    throw ApiError.invalidParameter(`'renderingRule' parameter is invalid: band ${missing + 1} does not exist (the image has ${block.bands.length})`);
  }
}

/** One output band from a per-pixel function of all input bands; non-finite results are no data. */
export function mapPixels(block: PixelBlock, evaluate: BandExpression, pixelType: 'F32' | 'U8'): PixelBlock {
  const n = block.width * block.height;
  const out = pixelType === 'U8' ? new Uint8Array(n) : new Float32Array(n);
  const mask = new Uint8Array(n);
  const values = new Float64Array(block.bands.length);
  for (let i = 0; i < n; i++) {
    if (block.mask[i] === 0) continue;
    for (let b = 0; b < block.bands.length; b++) values[b] = block.bands[b][i];
    const v = evaluate(values);
    if (!Number.isFinite(v)) continue;
    out[i] = pixelType === 'U8' ? Math.max(0, Math.min(255, v)) : v;
    mask[i] = block.mask[i];
  }
  return { width: block.width, height: block.height, bands: [out], mask, pixelType };
}
