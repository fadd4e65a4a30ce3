import { parseSpatialReference, type SpatialReference } from '../../geometry/spatial-reference.js';
import { GeometryError } from '../../geometry/geometry-error.js';
import { ApiError } from '../../errors.js';
import type { Params } from '../../params.js';
import type { Bounds } from '../../raster/transform-bounds.js';
import type { DisplayFormat } from './encode-image.js';
import type { RasterFormat } from './encode-raster.js';
import { parseMosaicRule, type MosaicRule } from './mosaic-rule.js';
import { isSupportedPixelType } from './pixel-block.js';
import { parseRenderingRule, type RenderingRule } from './raster-functions/rendering-rule.js';
import { RENDER_LIMITS } from './render-limits.js';
import type { Resampling } from './warp-items.js';
import { parseJsonText } from '../../json-text.js';
import { param, readParams, unlisted } from '../../http/operation-params.js';

export type ExportFormat = DisplayFormat | RasterFormat;

/** A validated exportImage request (ArcGIS Export Image). */
export interface ExportRequest {
  bbox: Bounds;
  bboxSR?: SpatialReference;
  imageSR?: SpatialReference;
  width: number;
  height: number;
  adjustAspectRatio: boolean;
  format: ExportFormat;
  /** Output pixel type when asked (not `UNKNOWN`). */
  pixelType?: string;
  noData?: number[];
  noDataMatchAll: boolean;
  resampling: Resampling;
  compression?: string;
  quality: number;
  compressionTolerance?: number;
  lercVersion: 1 | 2;
  bandIds?: number[];
  mosaicRule: MosaicRule;
  renderingRule: RenderingRule | null;
  validateExtent: boolean;
}

const FORMATS: Record<string, ExportFormat> = {
  jpgpng: 'jpgpng', png: 'png', png8: 'png8', png24: 'png24', png32: 'png32', jpg: 'jpg', jpeg: 'jpg',
  gif: 'gif', bmp: 'bmp', tiff: 'tiff', tif: 'tiff', lerc: 'lerc', bip: 'bip', bsq: 'bsq',
};

const RESAMPLING: Record<string, Resampling> = {
  rsp_nearestneighbor: 'near',
  rsp_bilinearinterpolation: 'bilinear',
  rsp_cubicconvolution: 'cubic',
  rsp_majority: 'mode',
  nearest: 'near',
  bilinear: 'bilinear',
  cubic: 'cubic',
  majority: 'mode',
};

export function isRasterFormat(format: ExportFormat): format is RasterFormat {
  return format === 'tiff' || format === 'lerc' || format === 'bip' || format === 'bsq';
}

/** Reads the `interpolation` parameter; the service default is bilinear. */
export function readResampling(params: Params, name = 'interpolation'): Resampling {
  const text = params.string(name);
  if (!text) return 'bilinear';
  const resampling = RESAMPLING[text.toLowerCase()];
  if (!resampling) throw ApiError.invalidParameter(`'${name}' parameter is invalid: ${text}`);
  return resampling;
}

/** Reads an SR parameter (`102100`, `{"wkid":…}`, `{"wkt":…}`), 400 when malformed. */
export function readSrParam(params: Params, name: string): SpatialReference | undefined {
  try {
    return parseSpatialReference(params.jsonOrText(name));
  } catch (error) {
    if (error instanceof GeometryError) throw ApiError.invalidParameter(`'${name}' parameter is invalid`);
    throw error;
  }
}

/**
 * The exportImage parameters, in the order of its HTML form. `bbox` is required; `size` defaults to
 * 400,400 and may not exceed maxImageWidth × maxImageHeight; unknown formats, pixel types,
 * interpolations and malformed rules are 400s naming the parameter.
 */
export const EXPORT_PARAMS = {
  bbox: param((params, name) => readBbox(params.string(name))),
  bboxSR: param(readSrParam),
  size: param((params, name) => readSize(params.string(name)), { value: '400,400' }),
  imageSR: param(readSrParam),
  format: param(readFormat, { type: 'select', options: ['jpgpng', 'png', 'png8', 'png24', 'png32', 'jpg', 'gif', 'bmp', 'tiff', 'lerc', 'bip', 'bsq'] }),
  pixelType: param(readPixelType, { type: 'select', options: ['UNKNOWN', 'U8', 'U16', 'S16', 'U32', 'S32', 'F32', 'F64'] }),
  noData: param(readNumbers),
  noDataInterpretation: unlisted((params, name) => readNoDataInterpretation(params.string(name))),
  interpolation: param(readResampling, { type: 'select', options: ['RSP_BilinearInterpolation', 'RSP_NearestNeighbor', 'RSP_CubicConvolution', 'RSP_Majority'] }),
  adjustAspectRatio: unlisted((params, name) => params.bool(name, true)),
  compression: unlisted((params, name) => params.string(name)),
  compressionQuality: param((params, name) => params.number(name, 75)!),
  compressionTolerance: unlisted((params, name) => params.number(name)),
  lercVersion: unlisted((params, name): 1 | 2 => (params.int(name, 1) === 2 ? 2 : 1)),
  bandIds: param(readNumbers),
  mosaicRule: param((params, name) => parseMosaicRule(params.json(name)), { type: 'textarea' }),
  renderingRule: param((params, name) => parseRenderingRule(params.json(name)), { type: 'textarea' }),
  validateExtent: unlisted((params, name) => params.bool(name, false)),
};

/** Reads and validates an exportImage request (ArcGIS Export Image). */
export function readExportRequest(params: Params): ExportRequest {
  const { size, noDataInterpretation, interpolation, compressionQuality, ...values } = readParams(EXPORT_PARAMS, params, undefined);
  const noDataMatchAll = noDataInterpretation ?? (values.noData?.length ?? 0) > 1;
  return { ...values, width: size[0], height: size[1], noDataMatchAll, resampling: interpolation, quality: compressionQuality };
}

function readFormat(params: Params, name: string): ExportFormat {
  const text = (params.string(name) ?? 'jpgpng').toLowerCase();
  const format = FORMATS[text];
  if (!format) throw ApiError.invalidParameter(`'${name}' parameter is invalid: ${text}`);
  return format;
}

function readPixelType(params: Params, name: string): string | undefined {
  const text = params.string(name);
  if (!text || text.toUpperCase() === 'UNKNOWN') return undefined;
  if (!isSupportedPixelType(text)) throw ApiError.invalidParameter(`'${name}' parameter is invalid: ${text}`);
  return text.toUpperCase();
}

function readBbox(text: string | undefined): Bounds {
  if (!text) throw ApiError.invalidParameter("'bbox' parameter is required");
  let values: number[];
  if (text.trim().startsWith('{')) {
    try {
      const json = parseJsonText(text) as Record<string, unknown>;
      values = [json.xmin, json.ymin, json.xmax, json.ymax].map(Number);
    } catch {
      values = [];
    }
  } else values = text.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (values.length !== 4 || values.some((v) => !Number.isFinite(v)) || values[0] === values[2] || values[1] === values[3]) {
    throw ApiError.invalidParameter("'bbox' parameter is invalid: expected xmin,ymin,xmax,ymax");
  }
  // Corners in either order, as ArcGIS accepts them: Esri Leaflet sends xmin,ymax,xmax,ymin.
  return { xmin: Math.min(values[0], values[2]), ymin: Math.min(values[1], values[3]), xmax: Math.max(values[0], values[2]), ymax: Math.max(values[1], values[3]) };
}

function readSize(text: string | undefined): [number, number] {
  if (!text) return [400, 400];
  const parts = text.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 2 || parts.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw ApiError.invalidParameter("'size' parameter is invalid: expected width,height in pixels");
  }
  if (parts[0] > RENDER_LIMITS.maxImageWidth || parts[1] > RENDER_LIMITS.maxImageHeight) {
    throw ApiError.invalidParameter(`'size' parameter is invalid: at most ${RENDER_LIMITS.maxImageWidth}×${RENDER_LIMITS.maxImageHeight} pixels`);
  }
  return [parts[0], parts[1]];
}

function readNumbers(params: Params, name: string): number[] | undefined {
  const list = params.list(name);
  if (!list || list.length === 0) return undefined;
  const numbers = list.map(Number);
  if (numbers.some((n) => !Number.isFinite(n))) throw ApiError.invalidParameter(`'${name}' parameter is invalid: expected numbers`);
  return numbers;
}

/** MatchAll or MatchAny when said; unsaid, MatchAny for one value and MatchAll for a list. */
function readNoDataInterpretation(text: string | undefined): boolean | undefined {
  if (!text) return undefined;
  if (/^esriNoDataMatchAll$/i.test(text)) return true;
  if (/^esriNoDataMatchAny$/i.test(text)) return false;
  throw ApiError.invalidParameter(`'noDataInterpretation' parameter is invalid: ${text}`);
}
