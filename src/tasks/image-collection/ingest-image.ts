import { copyFile, link, rm } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import type { Config } from '../../config.js';
import type { Bounds, ImageRaster, NewCatalogItem } from '../../imagery/store/catalog-store.js';
import { TaskError } from '../../jobs/task.js';
import type { CogCompression } from '../../raster/cog-creation-options.js';
import { computeFootprint } from '../../raster/compute-footprint.js';
import { convertToCog } from '../../raster/convert-to-cog.js';
import { inspectRaster } from '../../raster/inspect-raster.js';
import { copyObject, putObject } from '../../raster/s3-objects.js';
import { RasterError } from '../../raster/raster-error.js';
import type { RasterInfo } from '../../raster/raster-info.js';
import { toSpatialReference, type SrsInput } from '../../raster/srs-input.js';
import { transformBounds } from '../../raster/transform-bounds.js';
import { computeBandStatistics } from './band-statistics.js';
import { clipRings, type Rings } from './clip-rings.js';
import { rowAttributes } from './row-attributes.js';
import type { ImagePlan } from './plan-images.js';
import { isOwnedFile } from '../../imagery/raster-store.js';

/** Where and how images of one job are ingested. */
export interface IngestTarget {
  config: Config;
  /** The collection's spatial reference (footprints, and by-value copies, are in it). */
  srs: SrsInput;
  byRef: boolean;
  /** The job's folder in the raster store. */
  outputDir: string;
  cellSize?: number;
  /** Clip extent, already in the collection's spatial reference. */
  extent?: Bounds;
  resampling?: 'near' | 'bilinear' | 'cubic';
  /** Longest side of the grid footprints are traced on (`footprintsArguments.requestSize`). */
  footprintGrid: number;
  /** COG compression instead of the automatic choice (analysis results must stay lossless). */
  compression?: CogCompression;
  signal: AbortSignal;
  /**
   * By value to object storage: a local folder each COG is written to first, so its footprint and
   * statistics are read from the local file and it crosses the network once (reading it back
   * from the bucket made ingest ~1.5× a plain `gdal_translate -of COG` to /vsis3/).
   */
  stagingDir?: string;
  /** By reference to object storage: where every node reads a recipe read here from scratch. */
  sharedPath?: (file: string) => string;
}

/** Displayed up to this many times the coarsest overview's pixel size (MaxPS). */
const MAX_PS_FACTOR = 10;

/**
 * Ingests one image and returns its catalog row, or null when nothing of it lies in the clip
 * extent. By value: a COG in the job's folder (reprojected, resampled, clipped as asked), with
 * footprint and statistics read from the copy. By reference: footprint and statistics read from
 * the source, which is never written to. Raster errors become job failures naming the input.
 */
export async function ingestImage(plan: ImagePlan, fileName: string, target: IngestTarget): Promise<NewCatalogItem | null> {
  try {
    if (plan.fromCatalog) return await ingestCatalogRow(plan, fileName, target);
    return target.byRef ? await ingestByReference(plan, target) : await ingestByValue(plan, fileName, target);
  } catch (error) {
    if (error instanceof RasterError) throw new TaskError(`${plan.label}: ${error.message}`);
    throw error;
  }
}

async function ingestByValue(plan: ImagePlan, fileName: string, target: IngestTarget): Promise<NewCatalogItem | null> {
  const source = await inspectGeoreferenced(plan, target.signal);
  const window = target.extent ? clipWindow(source, target) : undefined;
  if (window === null) return null;
  const dst = ownedPath(target, fileName);
  const written = target.stagingDir ? path.join(target.stagingDir, fileName) : dst;
  const info = await convertToCog(
    plan.source,
    written,
    { outSR: target.srs, cellSize: target.cellSize, extent: window, resampling: target.resampling, noData: plan.noData, compression: target.compression },
    target.signal,
  );
  try {
    const footprint = await computeFootprint(written, target.srs, { maxSize: target.footprintGrid, signal: target.signal });
    if (footprint.rings.length === 0) return null;
    const pixelSize = ((info.pixelSizeX ?? 0) + (info.pixelSizeY ?? 0)) / 2;
    const row = await toRow(plan, { path: dst, read: written, byValue: true, info, footprint: footprint.rings, pixelSize });
    if (written !== dst) await putObject(written, dst, { signal: target.signal });
    return row;
  } finally {
    if (written !== dst) await rm(written, { force: true });
  }
}

async function ingestByReference(plan: ImagePlan, target: IngestTarget, linked?: string): Promise<NewCatalogItem | null> {
  const file = linked ?? plan.source;
  const info = await inspectGeoreferenced({ ...plan, source: file }, target.signal);
  let rings: Rings = (await computeFootprint(file, target.srs, { maxSize: target.footprintGrid, signal: target.signal })).rings;
  if (target.extent) rings = clipRings(rings, target.extent);
  if (rings.length === 0) return null;
  const stored = target.sharedPath ? target.sharedPath(file) : file;
  return toRow(plan, { path: stored, read: file, byValue: linked !== undefined, info, footprint: rings, pixelSize: pixelSizeIn(info, target.srs, rings) });
}

/**
 * A row of another collection: its file is linked into this job's folder when the other
 * collection owns it (so deleting either collection never breaks the other), else referenced.
 */
async function ingestCatalogRow(plan: ImagePlan, fileName: string, target: IngestTarget): Promise<NewCatalogItem | null> {
  const row = plan.fromCatalog!;
  let linked: string | undefined;
  if (isOwnedFile(target.config, row.path, plan.fromCatalogDir)) {
    linked = ownedPath(target, fileName.replace(/\.tif$/, path.extname(row.path) || '.tif'));
    if (row.path.startsWith('/vsis3/') && linked.startsWith('/vsis3/')) await copyObject(row.path, linked);
    else await link(row.path, linked).catch(() => copyFile(row.path, linked!));
  }
  const item = await ingestByReference(plan, target, linked);
  if (!item) return null;
  return { ...item, source: row.source, byValue: row.byValue && linked !== undefined, ...rowAttributes(row) };
}

async function inspectGeoreferenced(plan: ImagePlan, signal: AbortSignal): Promise<RasterInfo> {
  const info = await inspectRaster(plan.source, { signal });
  if (info.bandCount === 0) throw new TaskError(`${plan.label}: holds several rasters (subdatasets); name one of them or use a raster type that knows the product.`);
  if (!info.isGeoreferenced) {
    throw new TaskError(`${plan.label}: the image has no georeference; add georeferenced rasters, or frames with GPS positions using the UAV/UAS raster type.`);
  }
  return info;
}

/** The part of the clip extent the image covers, in the collection SR; null when none. */
function clipWindow(info: RasterInfo, target: IngestTarget): (Bounds & { spatialReference: SrsInput }) | null | undefined {
  const extent = target.extent!;
  if (!info.extent || !info.srsWkt) return { ...extent, spatialReference: target.srs };
  const b = transformBounds(info.extent, gdal.SpatialReference.fromWKT(info.srsWkt), toSpatialReference(target.srs));
  const window = { xmin: Math.max(b.xmin, extent.xmin), ymin: Math.max(b.ymin, extent.ymin), xmax: Math.min(b.xmax, extent.xmax), ymax: Math.min(b.ymax, extent.ymax) };
  if (window.xmin >= window.xmax || window.ymin >= window.ymax) return null;
  return { ...window, spatialReference: target.srs };
}

/** An image's native pixel size measured in the collection's units (for images in another CRS). */
function pixelSizeIn(info: RasterInfo, srs: SrsInput, rings: Rings): number {
  if (info.extent && info.srsWkt) {
    const b = transformBounds(info.extent, gdal.SpatialReference.fromWKT(info.srsWkt), toSpatialReference(srs));
    return ((b.xmax - b.xmin) / info.width + (b.ymax - b.ymin) / info.height) / 2;
  }
  const xs = rings[0].map((p) => p[0]);
  const ys = rings[0].map((p) => p[1]);
  return ((Math.max(...xs) - Math.min(...xs)) / info.width + (Math.max(...ys) - Math.min(...ys)) / info.height) / 2;
}

interface Ingested {
  path: string;
  /** Where statistics are read when not at `path` (a recipe still in scratch). */
  read?: string;
  byValue: boolean;
  info: RasterInfo;
  footprint: Rings;
  pixelSize: number;
}

async function toRow(plan: ImagePlan, done: Ingested): Promise<NewCatalogItem> {
  const { info } = done;
  const coarsest = Math.max(1, ...info.overviewFactors);
  const raster = await describeRaster(info, done.read ?? done.path, plan.bandNames);
  const attributes = { ...plan.attributes };
  return {
    name: plan.name,
    footprint: done.footprint,
    lowPs: done.pixelSize,
    highPs: done.pixelSize * coarsest,
    minPs: 0,
    maxPs: done.pixelSize * coarsest * MAX_PS_FACTOR,
    category: 1,
    tag: str(attributes.Tag),
    groupName: str(attributes.GroupName),
    productName: str(attributes.ProductName),
    sensorName: str(attributes.SensorName),
    acquisitionDate: num(attributes.AcquisitionDate),
    cloudCover: num(attributes.CloudCover),
    rasterType: plan.rasterType,
    source: plan.source,
    path: done.path,
    byValue: done.byValue,
    raster,
    attributes: extraAttributes(attributes),
  };
}

const ROW_COLUMNS = new Set(['Tag', 'GroupName', 'ProductName', 'SensorName', 'AcquisitionDate', 'CloudCover']);

function extraAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key, value]) => !ROW_COLUMNS.has(key) && value !== undefined));
}

const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** What the catalog keeps of an image for rendering: its grid, bands, overviews and statistics. */
export async function describeRaster(info: RasterInfo, file: string, bandNames?: string[]): Promise<ImageRaster> {
  return {
    width: info.width,
    height: info.height,
    bandCount: info.bandCount,
    dataType: info.dataType,
    pixelType: info.pixelType,
    geoTransform: info.geoTransform,
    srsWkt: info.srsWkt ?? '',
    epsg: info.epsg,
    noData: info.noData,
    overviewFactors: info.overviewFactors,
    blockSize: info.blockSize,
    colorInterpretations: info.bands.map((b) => b.colorInterpretation),
    statistics: await computeBandStatistics(file),
    ...(bandNames ? { bandNames } : {}),
  };
}

/**
 * Where a by-value copy goes. On object storage each COG gets a "folder" of its own: GDAL lists
 * a file's folder when it opens it and keeps that listing, so a folder listed before a sibling
 * was uploaded would hide the sibling; a folder nobody lists before its one file exists cannot.
 */
function ownedPath(target: IngestTarget, fileName: string): string {
  if (!target.outputDir.startsWith('/vsis3/')) return path.join(target.outputDir, fileName);
  return path.join(target.outputDir, fileName.replace(/\.[^.]+$/, ''), fileName);
}
