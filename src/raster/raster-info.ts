import path from 'node:path';
import { toPixelType, type PixelType } from './pixel-type.js';
import type { Bounds } from './transform-bounds.js';

export interface BandInfo {
  dataType: string;
  noData: number | null;
  colorInterpretation: string;
  description: string;
  blockSize: { width: number; height: number };
  overviewCount: number;
  scale: number | null;
  offset: number | null;
  /** GDAL mask flags: ALL_VALID, PER_DATASET, ALPHA, NODATA. */
  maskFlags: string[];
  hasColorTable: boolean;
}

/** What the catalog keeps about one raster (see docs/imagery.md, "Ingest"). */
export interface RasterInfo {
  /** File name without folders, safe to show. */
  name: string;
  driver: string;
  /** Every file GDAL read for this dataset (server paths: never show them to clients). */
  files: string[];
  width: number;
  height: number;
  bandCount: number;
  /** GDAL data type name of band 1 (`Byte`, `UInt16`, `Float32`…). */
  dataType: string;
  /** The same as an ArcGIS pixel type (`U8`, `U16`, `F32`…). */
  pixelType: PixelType;
  /** GDAL order: [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight]. */
  geoTransform: number[] | null;
  srsWkt: string | null;
  epsg: number | null;
  /** Ground size of a pixel along columns / rows, in SRS units (positive). */
  pixelSizeX: number | null;
  pixelSizeY: number | null;
  extent: Bounds | null;
  noData: (number | null)[];
  overviewCount: number;
  /** Decimation factor of each overview, e.g. [2, 4, 8]. */
  overviewFactors: number[];
  blockSize: { width: number; height: number };
  /** Placed on the earth: a geotransform, ≥ 3 GCPs or RPCs, and a known SRS. */
  isGeoreferenced: boolean;
  gcpCount: number;
  hasRpc: boolean;
  hasAlpha: boolean;
  /** Default metadata domain; images from cameras carry `EXIF_*` items here. */
  metadata: Record<string, string>;
  /** Every domain gdalinfo reports (IMAGE_STRUCTURE, SUBDATASETS, RPC…). */
  metadataDomains: Record<string, Record<string, string>>;
  subdatasets: { name: string; description: string }[];
  bands: BandInfo[];
}

/** The parts of `gdalinfo -json` read here (GDAL 3.6 layout). */
export interface GdalInfoJson {
  description?: string;
  driverShortName: string;
  files?: string[];
  size: [number, number];
  geoTransform?: number[];
  coordinateSystem?: { wkt?: string };
  gcps?: { gcpList?: unknown[]; coordinateSystem?: { wkt?: string } };
  metadata?: Record<string, unknown>;
  bands?: GdalInfoBand[];
}

interface GdalInfoBand {
  type: string;
  /** A number, or the string "nan" for NaN. */
  noDataValue?: number | string;
  colorInterpretation?: string;
  description?: string;
  block: [number, number];
  overviews?: Array<{ size: [number, number] }>;
  scale?: unknown;
  offset?: unknown;
  mask?: { flags?: string[] };
  colorTable?: unknown;
  metadata?: Record<string, Record<string, unknown> | undefined>;
}

/** Builds RasterInfo from `gdalinfo -json` output (GDAL 3.6 layout). `epsg` is resolved by the caller. */
export function parseGdalInfoJson(info: GdalInfoJson, epsg: number | null): RasterInfo {
  const [width, height] = info.size;
  const bands: BandInfo[] = (info.bands ?? []).map(parseBand);
  const domains = normaliseDomains(info.metadata);
  const gt = info.geoTransform ?? null;
  const srsWkt = info.coordinateSystem?.wkt || null;
  const gcpCount = info.gcps?.gcpList?.length ?? 0;
  const hasRpc = domains.RPC !== undefined;
  const first = bands[0];
  const overviewSizes = (info.bands?.[0]?.overviews ?? []).map((o) => o.size);
  const nbits = Number(first ? info.bands?.[0].metadata?.IMAGE_STRUCTURE?.NBITS : undefined) || undefined;
  return {
    name: path.basename(String(info.description ?? '')),
    driver: info.driverShortName,
    files: info.files ?? [],
    width,
    height,
    bandCount: bands.length,
    dataType: first?.dataType ?? 'Unknown',
    pixelType: toPixelType(first?.dataType, nbits),
    geoTransform: gt,
    srsWkt,
    epsg,
    pixelSizeX: gt ? Math.hypot(gt[1], gt[4]) : null,
    pixelSizeY: gt ? Math.hypot(gt[2], gt[5]) : null,
    extent: gt ? gridExtent(gt, width, height) : null,
    noData: bands.map((b) => b.noData),
    overviewCount: overviewSizes.length,
    overviewFactors: overviewSizes.map(([w]) => Math.round(width / w)),
    blockSize: first?.blockSize ?? { width, height },
    isGeoreferenced: (gt !== null && srsWkt !== null) || (gcpCount >= 3 && Boolean(info.gcps?.coordinateSystem?.wkt)) || hasRpc,
    gcpCount,
    hasRpc,
    hasAlpha: bands.some((b) => b.colorInterpretation === 'Alpha'),
    metadata: domains[''] ?? {},
    metadataDomains: domains,
    subdatasets: parseSubdatasets(domains.SUBDATASETS ?? {}),
    bands,
  };
}

function parseBand(band: GdalInfoBand): BandInfo {
  const toNumber = (v: unknown): number | null => (v === undefined || v === null || v === '' ? null : Number(v));
  return {
    dataType: band.type,
    // gdalinfo writes NaN nodata as the string "nan".
    noData: band.noDataValue === undefined ? null : typeof band.noDataValue === 'string' ? Number.NaN : band.noDataValue,
    colorInterpretation: band.colorInterpretation ?? 'Undefined',
    description: band.description ?? '',
    blockSize: { width: band.block[0], height: band.block[1] },
    overviewCount: band.overviews?.length ?? 0,
    scale: toNumber(band.scale),
    offset: toNumber(band.offset),
    maskFlags: band.mask?.flags ?? [],
    hasColorTable: band.colorTable !== undefined,
  };
}

/** Extent of a width × height grid, also right for rotated geotransforms. */
export function gridExtent(gt: number[], width: number, height: number): Bounds {
  const corners = [
    [0, 0],
    [width, 0],
    [0, height],
    [width, height],
  ].map(([c, r]) => [gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5]]);
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return { xmin: Math.min(...xs), ymin: Math.min(...ys), xmax: Math.max(...xs), ymax: Math.max(...ys) };
}

function normaliseDomains(metadata: Record<string, unknown> | undefined): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [domain, items] of Object.entries(metadata ?? {})) {
    // xml: domains come as an array of strings, not key/value items.
    if (items && typeof items === 'object' && !Array.isArray(items)) {
      out[domain] = Object.fromEntries(Object.entries(items as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
  }
  return out;
}

function parseSubdatasets(items: Record<string, string>): { name: string; description: string }[] {
  const out: { name: string; description: string }[] = [];
  for (let i = 1; items[`SUBDATASET_${i}_NAME`] !== undefined; i++) {
    out.push({ name: items[`SUBDATASET_${i}_NAME`], description: items[`SUBDATASET_${i}_DESC`] ?? '' });
  }
  return out;
}
