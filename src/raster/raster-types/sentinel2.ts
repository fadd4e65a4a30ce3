import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inspectRaster } from '../inspect-raster.js';
import { RasterTypeError, throwIfAborted } from '../raster-error.js';
import type { RasterInfo } from '../raster-info.js';
import { findSentinel2Products } from './find-sentinel2-products.js';
import { getProp, type IngestAttributes, type IngestItem, type RasterTypeContext } from './ingest-item.js';
import { writeBandStackVrt } from './write-band-vrt.js';

type Template = '10m' | '20m' | '60m' | 'TCI' | 'All Bands';

// Bands in the order ArcGIS lists them; fill (nodata) is 0 in every band.
const BAND_ORDER = ['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B08', 'B8A', 'B09', 'B10', 'B11', 'B12'];
const FILL = 0;

/**
 * The `Sentinel-2` type: L1C and L2A products opened with GDAL's SENTINEL2 driver, one item per
 * product and UTM zone. Templates (`processingTemplate`): Multispectral-10m (default: B4 B3 B2 B8),
 * Multispectral-20m, Multispectral-60m, Natural Color (TCI), and All Bands / Multispectral (every
 * band's JPEG 2000 stacked at 10 m in a VRT; single-tile products only).
 */
export async function resolveSentinel2(inputs: string[], context: RasterTypeContext): Promise<IngestItem[]> {
  const template = parseTemplate(getProp(context.props, 'processingTemplate'));
  const items: IngestItem[] = [];
  for (const product of await findSentinel2Products(inputs)) {
    throwIfAborted(context.signal);
    const info = await inspectRaster(product, { signal: context.signal });
    if (info.driver !== 'SENTINEL2') throw new RasterTypeError(`${path.basename(product)} is not a Sentinel-2 product GDAL can read`);
    const attributes = { ...(await describeProduct(info, product)), Tag: TAGS[template] };
    const productName = String(attributes.GroupName);
    const zones = groupByZone(info.subdatasets.map((s) => s.name));
    if (zones.size === 0) throw new RasterTypeError(`${productName} lists no image subdatasets`);
    for (const [zone, names] of zones) {
      const name = zones.size > 1 ? `${productName}_${zone}` : productName;
      items.push(await buildItem(template, names, name, attributes, context));
    }
  }
  return items;
}

async function buildItem(template: Template, subdatasets: string[], name: string, attributes: IngestAttributes, context: RasterTypeContext): Promise<IngestItem> {
  if (template === 'All Bands') {
    const files = await bandFiles(subdatasets, name, context.signal);
    const vrtPath = path.join(context.scratchDir, `${name}_AllBands.vrt`);
    const bandNames = files.map((f) => bandOf(f)!);
    await writeBandStackVrt(vrtPath, files, { bandNames, noData: FILL });
    return { name, sourcePath: vrtPath, attributes, bandNames, noData: FILL };
  }
  const sourcePath = subdatasets.find((s) => s.includes(`:${template}:`));
  if (!sourcePath) throw new RasterTypeError(`${name} has no ${template} subdataset`);
  const sub = await inspectRaster(sourcePath, { signal: context.signal });
  const bandNames = sub.bands.map((b, i) => b.description.split(',')[0].trim() || `Band_${i + 1}`);
  return { name: template === '10m' ? name : `${name}_${template}`, sourcePath, attributes, bandNames, noData: FILL };
}

/** The per-band JPEG 2000 files behind the 10/20/60 m subdatasets, in band order. */
async function bandFiles(subdatasets: string[], name: string, signal: AbortSignal | undefined): Promise<string[]> {
  const files: string[] = [];
  for (const sub of subdatasets.filter((s) => /:(10|20|60)m:/.test(s))) files.push(...(await inspectRaster(sub, { signal })).files.filter((f) => bandOf(f)));
  const byBand = new Map<string, string[]>();
  for (const f of files) byBand.set(bandOf(f)!, [...(byBand.get(bandOf(f)!) ?? []), f]);
  if ([...byBand.values()].some((list) => new Set(list).size > 1)) {
    throw new RasterTypeError(`${name} has several tiles per band; the All Bands template supports single-tile products only, not yet multi-tile ones`);
  }
  return BAND_ORDER.filter((b) => byBand.has(b)).map((b) => byBand.get(b)![0]);
}

function bandOf(file: string): string | undefined {
  return /_(B(?:0[1-9]|1[0-2]|8A))(?:_\d0m)?\.jp2$/i.exec(file)?.[1].toUpperCase();
}

function groupByZone(subdatasets: string[]): Map<string, string[]> {
  const zones = new Map<string, string[]>();
  for (const name of subdatasets) {
    const zone = /:(EPSG_\d+)$/.exec(name)?.[1];
    if (zone) zones.set(zone, [...(zones.get(zone) ?? []), name]);
  }
  return zones;
}

async function describeProduct(info: RasterInfo, product: string): Promise<IngestAttributes> {
  const md = info.metadata;
  const productName = (md.PRODUCT_URI || path.basename(path.dirname(product))).replace(/\.(SAFE|zip)$/i, '');
  const sun = await readMeanSunAngles(product);
  const time = Date.parse(md.DATATAKE_1_DATATAKE_SENSING_START ?? md.PRODUCT_START_TIME ?? '');
  const cloud = Number(md.CLOUD_COVERAGE_ASSESSMENT);
  return {
    ProductName: md.PROCESSING_LEVEL?.replace(/^Level-/, 'L') ?? null,
    SensorName: md.DATATAKE_1_SPACECRAFT_NAME ?? 'Sentinel-2',
    AcquisitionDate: Number.isNaN(time) ? null : time,
    CloudCover: md.CLOUD_COVERAGE_ASSESSMENT === undefined || Number.isNaN(cloud) ? null : cloud,
    SunAzimuth: sun?.azimuth ?? null,
    SunElevation: sun ? 90 - sun.zenith : null,
    GroupName: productName,
    TileId: /_T(\d{2}[A-Z]{3})_/.exec(productName)?.[1] ?? null,
    ProcessingBaseline: md.PROCESSING_BASELINE ?? null,
    RelativeOrbit: md.DATATAKE_1_SENSING_ORBIT_NUMBER ? Number(md.DATATAKE_1_SENSING_ORBIT_NUMBER) : null,
  };
}

/** Mean sun angles from the first granule's MTD_TL.xml (unzipped products only). */
async function readMeanSunAngles(product: string): Promise<{ zenith: number; azimuth: number } | null> {
  if (!product.toLowerCase().endsWith('.xml')) return null;
  const granules = path.join(path.dirname(product), 'GRANULE');
  const folders = await readdir(granules).catch(() => [] as string[]);
  for (const folder of folders.sort()) {
    const names = await readdir(path.join(granules, folder)).catch(() => [] as string[]);
    const tile = names.find((n) => /^(MTD_TL|S2[AB]_\w*MTD_\w*)\.xml$/i.test(n));
    if (!tile) continue;
    const xml = await readFile(path.join(granules, folder, tile), 'utf8');
    const m = /<Mean_Sun_Angle>\s*<ZENITH_ANGLE[^>]*>([\d.]+)<\/ZENITH_ANGLE>\s*<AZIMUTH_ANGLE[^>]*>([\d.]+)<\/AZIMUTH_ANGLE>/.exec(xml);
    if (m) return { zenith: Number(m[1]), azimuth: Number(m[2]) };
  }
  return null;
}

const TAGS: Record<Template, string> = { '10m': 'MS-10m', '20m': 'MS-20m', '60m': 'MS-60m', TCI: 'TCI', 'All Bands': 'MS' };

function parseTemplate(value: unknown): Template {
  const key = String(value ?? '').toLowerCase().replace(/[\s_-]/g, '');
  if (['', 'multispectral10m', '10m'].includes(key)) return '10m';
  if (['multispectral20m', '20m'].includes(key)) return '20m';
  if (['multispectral60m', '60m'].includes(key)) return '60m';
  if (['naturalcolor', 'naturalcolour', 'tci', 'truecolor'].includes(key)) return 'TCI';
  if (['allbands', 'all', 'multispectral'].includes(key)) return 'All Bands';
  throw new RasterTypeError(`Processing template '${String(value)}' is not supported for Sentinel-2; use Multispectral-10m, Multispectral-20m, Multispectral-60m, Natural Color or All Bands`);
}
