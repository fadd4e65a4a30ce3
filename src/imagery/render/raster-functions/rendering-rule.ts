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
import { clipFunction, isInsideClip } from './clip.js';
import { compositeBandFunction } from './composite-band.js';
import { localFunction } from './local.js';
import { maskFunction } from './mask.js';

/** One entry of a `Rasters` argument: a function, an input raster (0: the block itself), or a constant. */
export type RasterRef = { rule: RenderingRule } | { source: number } | { constant: number };

/**
 * A parsed rendering rule. Its `Raster` argument is `input` (a function), else input raster
 * `source` (GenerateRaster's extra inputs), else the block itself; `rasters` is its `Rasters`,
 * `clippingRaster` Clip's `ClippingRaster`.
 */
export interface RenderingRule {
  name: string;
  args: FunctionArguments;
  outputPixelType?: string;
  input?: RenderingRule;
  source?: number;
  rasters?: RasterRef[];
  clippingRaster?: RasterRef;
  /**
   * On the outermost rule parsed without a `source` option (exportImage and the other on-the-fly
   * operations): the other rasters the chain names (`{"url"}`, `{"itemId"}`, a service URL),
   * input `i + 1` being `rasterInputs[i]` (0 is the service's own pixels).
   */
  rasterInputs?: unknown[];
}

/**
 * How raster values other than functions and `$$` become inputs: GenerateRaster numbers them
 * itself (0 is the block itself, resolved as task inputs). Without it (the on-the-fly
 * operations), a value that names a raster (`{"url"}`, `{"itemId"}`, `{"uri"}`, a URL) becomes input
 * 1, 2… listed in the rule's `rasterInputs`, for the operation to resolve and draw on its grid.
 */
export interface RuleOptions {
  source?: (value: unknown) => number;
  /** Set for the numbering above: only values that name a raster are inputs. */
  external?: boolean;
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
  Clip: clipFunction,
  Mask: maskFunction,
  CompositeBand: compositeBandFunction,
  Local: localFunction,
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
export function parseRenderingRule(value: unknown, options: RuleOptions = {}, depth = 0): RenderingRule | null {
  if (depth === 0 && !options.source) {
    const rasterInputs: unknown[] = [];
    const keys: string[] = [];
    const source = (entry: unknown): number => {
      const key = JSON.stringify(entry);
      let index = keys.indexOf(key);
      if (index < 0) index = keys.push(key) - 1;
      rasterInputs[index] = entry;
      return index + 1;
    };
    const rule = parseRenderingRule(value, { source, external: true }, 0);
    if (rule && rasterInputs.length > 0) rule.rasterInputs = rasterInputs;
    return rule;
  }
  if (value === undefined || value === null || value === '' || value === '$$') return null;
  if (typeof value !== 'object' || Array.isArray(value) || depth > 10) throw invalid('it must be a JSON object');
  const input = value as Record<string, unknown>;
  const rawName = input.rasterFunction ?? input.name;
  if (rawName === undefined || rawName === null || rawName === '' || String(rawName).toLowerCase() === 'none') {
    return input.rasterFunctionArguments ? parseRenderingRule((input.rasterFunctionArguments as FunctionArguments).Raster, options, depth + 1) : null;
  }
  const known = BY_LOWER_NAME.get(String(rawName).toLowerCase());
  if (!known) throw invalid(`raster function '${String(rawName)}' is not supported`);
  const args = (input.rasterFunctionArguments ?? {}) as FunctionArguments;
  if (typeof args !== 'object' || Array.isArray(args)) throw invalid('rasterFunctionArguments must be a JSON object');
  const rule: RenderingRule = { name: known.name, args };
  if (isFunction(args.Raster)) {
    const nested = parseRenderingRule(args.Raster, options, depth + 1);
    if (nested) rule.input = nested;
  } else if (options.source && args.Raster !== undefined && args.Raster !== null && args.Raster !== '' && args.Raster !== '$$' && (!isExternal(options) || namesRaster(args.Raster))) {
    const source = options.source(args.Raster);
    if (source !== 0) rule.source = source;
  }
  if (args.Rasters !== undefined && args.Rasters !== null) {
    const list = Array.isArray(args.Rasters) ? args.Rasters : [args.Rasters];
    rule.rasters = list.map((entry) => parseRasterRef(entry, options, depth));
  }
  // Clip's other raster (a geometry, when both are given, is the clip).
  if (known.name === 'Clip' && args.ClippingRaster !== undefined && args.ClippingRaster !== null && args.ClippingRaster !== '' && !args.ClippingGeometry) {
    const ref = parseRasterRef(args.ClippingRaster, options, depth);
    if ('constant' in ref) throw invalid('ClippingRaster must be a raster');
    rule.clippingRaster = ref;
  }
  if (typeof input.outputPixelType === 'string' && input.outputPixelType !== '' && input.outputPixelType.toUpperCase() !== 'UNKNOWN') {
    if (!isSupportedPixelType(input.outputPixelType)) throw invalid(`outputPixelType ${input.outputPixelType} is not supported`);
    rule.outputPixelType = input.outputPixelType.toUpperCase();
  }
  return rule;
}

function isFunction(value: unknown): boolean {
  return Boolean(value && typeof value === 'object' && !Array.isArray(value) && ('rasterFunction' in value || 'name' in value || 'rasterFunctionArguments' in value));
}

function parseRasterRef(entry: unknown, options: RuleOptions, depth: number): RasterRef {
  if (typeof entry === 'number' || (typeof entry === 'string' && entry.trim() !== '' && Number.isFinite(Number(entry)))) return { constant: Number(entry) };
  if (entry === '$$' || entry === null || entry === undefined || entry === '') return { source: 0 };
  if (isFunction(entry)) {
    const rule = parseRenderingRule(entry, options, depth + 1);
    return rule ? { rule } : { source: 0 };
  }
  if (!options.source || (isExternal(options) && !namesRaster(entry))) throw invalid('Rasters entries must be "$$", raster functions, constants or rasters ({"url"}, {"itemId"}, {"uri"} or an image service URL)');
  return { source: options.source(entry) };
}

function isExternal(options: RuleOptions): boolean {
  return options.external === true;
}

/**
 * True for a value naming a raster in a task's §2.1 forms: an object with `url`, `itemId` or
 * `uri`, or a URL or service path as text. Anything else keeps its old on-the-fly meaning (the
 * service's own pixels), so rules that worked before draw as before.
 */
export function namesRaster(value: unknown): boolean {
  if (typeof value === 'string') return /^https?:\/\//i.test(value.trim()) || /\/ImageServer(\/\d+)?\/?$/i.test(value.trim());
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return ['url', 'itemId', 'itemid', 'uri'].some((key) => typeof (value as Record<string, unknown>)[key] === 'string' && (value as Record<string, string>)[key] !== '');
}

/** Extra pixels the chain reads around the grid (a Hillshade over a Hillshade reads two). */
export function ruleMargin(rule: RenderingRule | null): number {
  if (!rule) return 0;
  const refs = [...(rule.rasters ?? []), ...(rule.clippingRaster ? [rule.clippingRaster] : [])];
  const inner = [ruleMargin(rule.input ?? null), ...refs.map((ref) => ('rule' in ref ? ruleMargin(ref.rule) : 0))];
  return (FUNCTIONS[rule.name].margin?.(rule.args) ?? 0) + Math.max(...inner);
}

/**
 * Runs the chain, innermost first. Only functions reading the block itself see the collection's
 * statistics: the others work on derived values (or other rasters), whose ranges they take from
 * the pixels.
 */
export function applyRenderingRule(block: PixelBlock, rule: RenderingRule | null, context: FunctionContext): PixelBlock {
  if (!rule) return block;
  const source = rule.input ? applyRenderingRule(block, rule.input, context) : rule.source ? sourceBlock(rule.source, context) : block;
  const own: FunctionContext = { ...context, statistics: rule.input || rule.source ? null : context.statistics, rasters: undefined, clipping: undefined };
  const evaluate = (ref: RasterRef): PixelBlock | number => ('constant' in ref ? ref.constant : 'rule' in ref ? applyRenderingRule(block, ref.rule, context) : ref.source ? sourceBlock(ref.source, context) : block);
  if (rule.rasters) own.rasters = rule.rasters.map(evaluate);
  if (rule.clippingRaster) own.clipping = evaluate(rule.clippingRaster) as PixelBlock;
  return FUNCTIONS[rule.name].apply(source, rule.args, own, rule.outputPixelType);
}

function sourceBlock(index: number, context: FunctionContext): PixelBlock {
  const block = context.sources?.[index];
  if (!block) throw invalid(`input raster ${index} is not available`);
  return block;
}

/**
 * True when a function of the chain that is given the statistics (one reading the block itself,
 * see applyRenderingRule) uses them: GenerateRaster computes statistics of its input only then.
 */
export function ruleReadsStatistics(rule: RenderingRule | null): boolean {
  if (!rule) return false;
  if (!rule.input && !rule.source && FUNCTIONS[rule.name].readsStatistics) return true;
  const refs = [...(rule.rasters ?? []), ...(rule.clippingRaster ? [rule.clippingRaster] : [])];
  return ruleReadsStatistics(rule.input ?? null) || refs.some((ref) => 'rule' in ref && ruleReadsStatistics(ref.rule));
}

/** True when the chain ends in a Clip keeping the inside of a shape (the output may shrink to it). */
export function clipsToShape(rule: RenderingRule | null): boolean {
  return Boolean(rule && rule.name === 'Clip' && isInsideClip(rule.args));
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${detail}`);
}
