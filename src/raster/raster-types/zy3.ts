import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { RasterTypeError, throwIfAborted } from '../raster-error.js';
import { runGdalCommand } from '../run-gdal-command.js';
import { getNumberProp, getProp, type IngestItem, type RasterTypeContext } from './ingest-item.js';
import { resolveDemPath } from './uav-frames.js';
import { writePansharpenVrt } from './write-pansharpen-vrt.js';

type Zy3TypeName = 'ZY3-SASMAC' | 'ZY3-CRESDA';
type Sensor = 'MUX' | 'NAD' | 'FWD' | 'BWD';
type Template = 'Multispectral' | 'Panchromatic' | 'Pansharpen' | 'All';

/** One image of a scene: a sensor's Level-1 TIFF with its RPCs and XML metadata. */
interface Zy3Image {
  file: string;
  sensor: Sensor;
  metadata: Zy3Metadata;
}

interface Zy3Metadata {
  satellite: string | null;
  productLevel: string | null;
  acquisitionTime: number | null;
  cloudCover: number | null;
  sunAzimuth: number | null;
  sunElevation: number | null;
}

// ZY3 fill is 0 in every band, and the TIFFs do not tag it as nodata.
const FILL = 0;
const MUX_BANDS = ['Blue', 'Green', 'Red', 'NearInfrared'];
/** Client default for ZY3 ("red, green, blue, nir", raster-analysis.md §3.2). */
const DEFAULT_WEIGHTS = { red: 0.329, green: 0.509, blue: 0, nir: 0.162 };
const TAGS: Record<Sensor, string> = { MUX: 'MS', NAD: 'Pan', FWD: 'Forward', BWD: 'Backward' };
const SENSOR_TAG = /(?:^|[_-])(MUX|NAD|FWD|BWD)(?=[_.-]|$)/i;

/**
 * `ZY3-SASMAC` / `ZY3-CRESDA`: ZiYuan-3 Level-1 scenes. Each sensor image (multispectral MUX,
 * nadir NAD, forward FWD, backward BWD) is a TIFF with RPCs in a `_rpc.txt` or `.rpb` side-car and
 * an XML metadata file. CRESDA delivers one product folder per sensor
 * (`ZY3_MUX_E116.5_N39.9_20130112_L1A0000978652/…tiff`), SASMAC one scene folder holding every
 * sensor (`…-mux.tif`, `…-nad.tif`); both are found below the inputs and paired into scenes by
 * satellite, place and date. Each image is orthorectified by GDAL's RPC transformer over the `dem`
 * (or at `constantZ` metres) into a warped VRT in the scratch folder.
 *
 * Templates: Multispectral (default, also for the clients' "Pansharpen and Multispectral"),
 * Panchromatic (NAD), Pansharpen (MUX sharpened by NAD, weighted Brovey with `pansharpenWeights`
 * "red, green, blue, nir", default 0.329, 0.509, 0, 0.162) and All (every sensor image as its own
 * item). `productType`: `All` (default) or `Level1`; stereo templates are refused.
 */
export async function resolveZy3(inputs: string[], typeName: Zy3TypeName, context: RasterTypeContext): Promise<IngestItem[]> {
  const template = parseTemplate(getProp(context.props, 'processingTemplate'), typeName);
  checkProductType(getProp(context.props, 'productType'), typeName);
  const images = (await Promise.all(inputs.map((input) => findImages(input)))).flat();
  if (images.length === 0) {
    throw new RasterTypeError(`${inputs.map((i) => path.basename(i)).join(', ')} is not a ZY3 product (no ZY3 MUX, NAD, FWD or BWD images found) for the ${typeName} raster type`);
  }
  const height = elevationOptions(context);
  const scenes = groupScenes(images);
  const items: IngestItem[] = [];
  for (const [scene, members] of scenes) {
    throwIfAborted(context.signal);
    const bySensor = new Map(members.map((m) => [m.sensor, m]));
    if (template === 'All') {
      for (const image of members) items.push(await imageItem(image, scene, height, context));
      continue;
    }
    if (template === 'Multispectral' || template === 'Panchromatic') {
      const image = bySensor.get(template === 'Multispectral' ? 'MUX' : 'NAD');
      if (!image) throw new RasterTypeError(`ZY3 scene ${scene} has no ${template === 'Multispectral' ? 'multispectral (MUX)' : 'nadir panchromatic (NAD)'} image`);
      items.push(await imageItem(image, scene, height, context));
      continue;
    }
    const mux = bySensor.get('MUX');
    const nad = bySensor.get('NAD');
    if (!mux || !nad) throw new RasterTypeError(`ZY3 scene ${scene} needs both a MUX and a NAD image for the Pansharpen template`);
    items.push(await pansharpenItem(mux, nad, scene, height, context));
  }
  return items;
}


async function imageItem(image: Zy3Image, scene: string, height: string[], context: RasterTypeContext): Promise<IngestItem> {
  const name = `${scene}_${image.sensor}`;
  const vrt = await orthorectify(image, path.join(context.scratchDir, `${name}.vrt`), height, context.signal);
  return {
    name,
    sourcePath: vrt,
    bandNames: image.sensor === 'MUX' ? MUX_BANDS : ['Panchromatic'],
    noData: FILL,
    attributes: attributesOf(image, scene, TAGS[image.sensor]),
  };
}

async function pansharpenItem(mux: Zy3Image, nad: Zy3Image, scene: string, height: string[], context: RasterTypeContext): Promise<IngestItem> {
  const name = `${scene}_Pansharpen`;
  const spectral = await orthorectify(mux, path.join(context.scratchDir, `${scene}_MUX.vrt`), height, context.signal);
  const pan = await orthorectify(nad, path.join(context.scratchDir, `${scene}_NAD.vrt`), height, context.signal);
  const bandFiles = await Promise.all(MUX_BANDS.map((_, i) => extractBandVrt(spectral, i + 1, path.join(context.scratchDir, `${scene}_MUX_b${i + 1}.vrt`))));
  const weights = parseWeights(getProp(context.props, 'pansharpenWeights'));
  const vrtPath = path.join(context.scratchDir, `${name}.vrt`);
  // Spectral bands in MUX order (blue, green, red, nir); weights follow that order.
  await writePansharpenVrt(vrtPath, pan, bandFiles, [weights.blue, weights.green, weights.red, weights.nir], FILL);
  return { name, sourcePath: vrtPath, bandNames: MUX_BANDS, noData: FILL, attributes: attributesOf(mux, scene, 'Pansharpened') };
}

/**
 * `gdalwarp -rpc` to a warped VRT in WGS 84: heights from the DEM (with `constantZ`, or 0, where
 * the DEM has none) or a constant height. Level-2 images that already carry a geotransform are
 * used as they are.
 */
async function orthorectify(image: Zy3Image, vrtPath: string, height: string[], signal?: AbortSignal): Promise<string> {
  const dataset = await gdal.openAsync(image.file);
  try {
    if (dataset.geoTransform && dataset.srs) return image.file;
    const rpc = (await dataset.getMetadataAsync('RPC')) as Record<string, string>;
    if (Object.keys(rpc).length === 0) {
      throw new RasterTypeError(`${path.basename(image.file)} has no RPCs: a ZY3 Level-1 image needs its _rpc.txt or .rpb file beside it`);
    }
  } finally {
    dataset.close();
  }
  await runGdalCommand('gdalwarp', ['-of', 'VRT', '-overwrite', '-rpc', ...height, '-t_srs', 'EPSG:4326', '-r', 'bilinear', '-srcnodata', String(FILL), '-dstnodata', String(FILL), image.file, vrtPath], { signal });
  return vrtPath;
}

/** A one-band VRT of a multi-band raster (GDAL's pansharpening takes each spectral band by file). */
async function extractBandVrt(source: string, band: number, vrtPath: string): Promise<string> {
  await runGdalCommand('gdal_translate', ['-of', 'VRT', '-b', String(band), source, vrtPath]);
  return vrtPath;
}

function elevationOptions(context: RasterTypeContext): string[] {
  const dem = resolveDemPath(getProp(context.props, 'dem'));
  const constantZ = getNumberProp(context.props, 'constantZ') ?? 0;
  if (dem) return ['-to', `RPC_DEM=${dem}`, '-to', 'RPC_DEMINTERPOLATION=bilinear', '-to', `RPC_DEM_MISSING_VALUE=${constantZ}`];
  return ['-to', `RPC_HEIGHT=${constantZ}`];
}

/** Every ZY3 sensor image below an input (a file or a folder, three levels deep). */
async function findImages(input: string, depth = 0): Promise<Zy3Image[]> {
  const info = await stat(input).catch(() => null);
  if (!info) throw new RasterTypeError(`Input ${path.basename(input)} does not exist`);
  if (info.isDirectory()) {
    if (depth > 3) return [];
    const names = (await readdir(input)).sort();
    return (await Promise.all(names.map((n) => findImages(path.join(input, n), depth + 1)))).flat();
  }
  if (!/\.tiff?$/i.test(input)) return [];
  const sensor = SENSOR_TAG.exec(path.basename(input).replace(/\.tiff?$/i, ''))?.[1]?.toUpperCase() as Sensor | undefined;
  const xml = await findMetadataXml(input);
  const text = xml ? await readFile(xml, 'utf8') : '';
  const metadata = readMetadata(text);
  const isZy3 = /^ZY3|^ZY302/i.test(path.basename(input)) || /^ZY-?3/i.test(metadata.satellite ?? '');
  const xmlSensor = tag(text, 'SensorID')?.toUpperCase() as Sensor | undefined;
  const resolved = sensor ?? (xmlSensor && xmlSensor in TAGS ? xmlSensor : undefined);
  if (!isZy3 || !resolved) return [];
  return [{ file: input, sensor: resolved, metadata }];
}

async function findMetadataXml(image: string): Promise<string | undefined> {
  const base = image.replace(/\.tiff?$/i, '');
  for (const candidate of [`${base}.xml`, `${base}.XML`, `${base}_meta.xml`]) {
    if (await stat(candidate).then((s) => s.isFile(), () => false)) return candidate;
  }
  return undefined;
}

/** Tag values as both distributors write them (CRESDA and SASMAC use different names for some). */
function readMetadata(xml: string): Zy3Metadata {
  const number = (...names: string[]) => {
    for (const name of names) {
      const value = Number(tag(xml, name));
      if (tag(xml, name) !== undefined && Number.isFinite(value)) return value;
    }
    return null;
  };
  const time = tag(xml, 'CenterTime') ?? tag(xml, 'ReceiveTime') ?? tag(xml, 'StartTime') ?? tag(xml, 'imagingTime') ?? tag(xml, 'SceneDate');
  const parsed = time ? Date.parse(`${time.replace(' ', 'T').replace(/Z?$/, '')}Z`) : Number.NaN;
  const zenith = number('SolarZenith', 'SunZenith');
  return {
    satellite: tag(xml, 'SatelliteID') ?? tag(xml, 'Satellite') ?? null,
    productLevel: tag(xml, 'ProductLevel') ?? null,
    acquisitionTime: Number.isFinite(parsed) ? parsed : null,
    cloudCover: number('CloudPercent', 'CloudCover', 'CloudCoverage'),
    sunAzimuth: number('SunAzimuth', 'SolarAzimuth'),
    sunElevation: number('SunElevation', 'SolarElevation') ?? (zenith === null ? null : 90 - zenith),
  };
}

function tag(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`, 'i').exec(xml);
  return match ? match[1] : undefined;
}

/**
 * Scenes by satellite, place and date: CRESDA names each sensor's product with its own number
 * (`…_20130112_L1A0000978652`, `…_L1A0000978653`), so the sensor tag and product number go.
 */
function groupScenes(images: Zy3Image[]): Map<string, Zy3Image[]> {
  const scenes = new Map<string, Zy3Image[]>();
  for (const image of images) {
    const key = path
      .basename(image.file)
      .replace(/\.tiff?$/i, '')
      .replace(SENSOR_TAG, '')
      .replace(/(L\d[A-Z]?)\d{6,}$/i, '$1');
    scenes.set(key, [...(scenes.get(key) ?? []), image]);
  }
  return scenes;
}

function attributesOf(image: Zy3Image, scene: string, tagName: string): IngestItem['attributes'] {
  return {
    ProductName: image.metadata.productLevel,
    SensorName: `ZY3-${image.sensor}`,
    AcquisitionDate: image.metadata.acquisitionTime,
    CloudCover: image.metadata.cloudCover,
    SunAzimuth: image.metadata.sunAzimuth,
    SunElevation: image.metadata.sunElevation,
    Tag: tagName,
    GroupName: scene,
  };
}

function parseTemplate(value: unknown, typeName: string): Template {
  const key = String(value ?? 'Multispectral').toLowerCase().replace(/[\s_-]/g, '');
  if (['multispectral', 'ms', 'pansharpenandmultispectral', ''].includes(key)) return 'Multispectral';
  if (['panchromatic', 'pan'].includes(key)) return 'Panchromatic';
  if (['pansharpen', 'pansharpened'].includes(key)) return 'Pansharpen';
  if (['all', 'allbands'].includes(key)) return 'All';
  throw new RasterTypeError(`Processing template '${String(value)}' is not supported for ${typeName}; use Multispectral, Panchromatic, Pansharpen or All (stereo templates need block adjustment, which this server does not do)`);
}

function checkProductType(value: unknown, typeName: string): void {
  const key = String(value ?? 'All').toLowerCase().replace(/[\s_-]/g, '');
  if (!['all', 'level1', 'l1', 'l1a', ''].includes(key)) {
    throw new RasterTypeError(`Product type '${String(value)}' is not supported for ${typeName}; use All or Level1`);
  }
}

function parseWeights(value: unknown): typeof DEFAULT_WEIGHTS {
  if (value === undefined || value === null || value === '') return DEFAULT_WEIGHTS;
  const weights = (Array.isArray(value) ? value : String(value).split(/[,;\s]+/).filter(Boolean)).map(Number);
  if (weights.length !== 4 || weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new RasterTypeError(`pansharpenWeights must be four numbers "red, green, blue, nir", got '${String(value)}'`);
  }
  const [red, green, blue, nir] = weights as [number, number, number, number];
  return { red, green, blue, nir };
}
