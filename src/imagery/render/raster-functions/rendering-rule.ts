import { ApiError } from '../../../errors.js';
import { isSupportedPixelType, type PixelBlock } from '../pixel-block.js';
import { bandArithmeticFunction, ndviFunction } from './band-arithmetic.js';
import { colormapFunction } from './colormap.js';
import { hillshadeFunction } from './hillshade.js';
import type { FunctionArguments, FunctionContext, RasterFunction } from './raster-function.js';
import { stretchFunction } from './stretch.js';
import { arithmeticFunction } from './arithmetic.js';
import { remapFunction } from './remap.js';
import { aspectFunction, slopeFunction } from './terrain.js';

/** A parsed rendering rule; `input` is the function producing its `Raster` argument, if any. */
export interface RenderingRule {
  name: string;
  args: FunctionArguments;
  outputPixelType?: string;
  input?: RenderingRule;
}

const extractBandFunction: RasterFunction = {
  description: 'Keeps the bands listed in BandIDs (0-based), in that order.',
  apply: (block, args) => {
    const ids = Array.isArray(args.BandIDs) ? (args.BandIDs as unknown[]).map(Number) : [];
    if (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id < 0 || id >= block.bands.length)) {
      throw ApiError.invalidParameter("'renderingRule' parameter is invalid: BandIDs must list existing 0-based band indexes");
    }
    return { ...block, bands: ids.map((id) => block.bands[id]) };
  },
};

/** The functions by the names clients send (compared case-insensitively). */
const FUNCTIONS: Record<string, RasterFunction> = {
  Stretch: stretchFunction,
  Hillshade: hillshadeFunction,
  NDVI: ndviFunction,
  BandArithmetic: bandArithmeticFunction,
  Colormap: colormapFunction,
  ExtractBand: extractBandFunction,
  Slope: slopeFunction,
  Aspect: aspectFunction,
  Remap: remapFunction,
  Reclassify: remapFunction,
  Arithmetic: arithmeticFunction(),
  Plus: arithmeticFunction(1),
  Minus: arithmeticFunction(2),
  Times: arithmeticFunction(3),
  Divide: arithmeticFunction(4),
};

const BY_LOWER_NAME = new Map(Object.entries(FUNCTIONS).map(([name, fn]) => [name.toLowerCase(), { name, fn }]));

/** `rasterFunctionInfos` of the service JSON: None first, then what `renderingRule` accepts. */
export const RASTER_FUNCTION_INFOS = [
  { name: 'None', description: 'The raw pixels of the mosaic.', help: '' },
  ...Object.entries(FUNCTIONS).map(([name, fn]) => ({ name, description: fn.description, help: '' })),
];

/**
 * Reads `renderingRule` JSON: `{"rasterFunction": "Stretch", "rasterFunctionArguments": {…},
 * "outputPixelType": "U8"}`, where the `Raster` argument may itself be a rule (chains such as
 * NDVI → Colormap). `None` (or no rule) is null: raw pixels. Unknown names are 400s.
 *
 * @example parseRenderingRule({ rasterFunction: 'Hillshade', rasterFunctionArguments: { ZFactor: 2 } })
 */
export function parseRenderingRule(value: unknown, depth = 0): RenderingRule | null {
  if (value === undefined || value === null || value === '' || value === '$$') return null;
  if (typeof value !== 'object' || Array.isArray(value) || depth > 10) throw invalid('it must be a JSON object');
  const input = value as Record<string, unknown>;
  const rawName = input.rasterFunction ?? input.name;
  if (rawName === undefined || rawName === null || rawName === '' || String(rawName).toLowerCase() === 'none') {
    return input.rasterFunctionArguments ? parseRenderingRule((input.rasterFunctionArguments as FunctionArguments).Raster, depth + 1) : null;
  }
  const known = BY_LOWER_NAME.get(String(rawName).toLowerCase());
  if (!known) throw invalid(`raster function '${String(rawName)}' is not supported`);
  const args = (input.rasterFunctionArguments ?? {}) as FunctionArguments;
  if (typeof args !== 'object' || Array.isArray(args)) throw invalid('rasterFunctionArguments must be a JSON object');
  const rule: RenderingRule = { name: known.name, args };
  const nested = parseRenderingRule(args.Raster, depth + 1);
  if (nested) rule.input = nested;
  if (typeof input.outputPixelType === 'string' && input.outputPixelType !== '' && input.outputPixelType.toUpperCase() !== 'UNKNOWN') {
    if (!isSupportedPixelType(input.outputPixelType)) throw invalid(`outputPixelType ${input.outputPixelType} is not supported`);
    rule.outputPixelType = input.outputPixelType.toUpperCase();
  }
  return rule;
}

/** Extra pixels the chain reads around the grid (a Hillshade over a Hillshade reads two). */
export function ruleMargin(rule: RenderingRule | null): number {
  if (!rule) return 0;
  return (FUNCTIONS[rule.name].margin?.(rule.args) ?? 0) + ruleMargin(rule.input ?? null);
}

/**
 * Runs the chain, innermost first. Only the innermost function sees the collection's statistics:
 * the others work on derived values, whose ranges they take from the pixels.
 */
export function applyRenderingRule(block: PixelBlock, rule: RenderingRule | null, context: FunctionContext): PixelBlock {
  if (!rule) return block;
  const source = rule.input ? applyRenderingRule(block, rule.input, context) : block;
  const ownContext = rule.input ? { ...context, statistics: null } : context;
  return FUNCTIONS[rule.name].apply(source, rule.args, ownContext, rule.outputPixelType);
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${detail}`);
}
