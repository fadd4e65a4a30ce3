import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { RasterTypeError, throwIfAborted } from '../raster-error.js';
import { findLandsatMtlFiles } from './find-landsat-mtl.js';
import { getProp, type IngestItem, type RasterTypeContext } from './ingest-item.js';
import { findBandKey, LANDSAT_SENSORS, type LandsatBand, type LandsatSensor } from './landsat-bands.js';
import { parseMtlText, readLandsatMetadata, type LandsatMetadata, type MtlTree } from './landsat-mtl.js';
import { writeBandStackVrt } from './write-band-vrt.js';
import { writePansharpenVrt } from './write-pansharpen-vrt.js';

type Template = 'Multispectral' | 'Panchromatic' | 'Pansharpen' | 'Thermal' | 'All Bands';

// Landsat fill is 0 in every band, but USGS GeoTIFFs do not tag it as nodata.
const FILL = 0;

/**
 * The `Landsat 7 ETM+` and `Landsat 8` types: one item per scene found through its MTL file
 * (Collection 1 or 2, Level 1 or 2, text or JSON). The bands of the processing template are
 * stacked in a VRT written to the scratch folder. Templates: Multispectral (default), Panchromatic,
 * Pansharpen (GDAL's weighted Brovey, weights from `pansharpenWeights`), Thermal, All Bands
 * (multispectral + thermal). `Pansharpen and Multispectral`, the clients' default, gives the
 * multispectral item only: a collection mixing band counts renders badly.
 */
export async function resolveLandsat(inputs: string[], typeName: 'Landsat 7 ETM+' | 'Landsat 8', context: RasterTypeContext): Promise<IngestItem[]> {
  const sensor = LANDSAT_SENSORS[typeName];
  const template = parseTemplate(getProp(context.props, 'processingTemplate'), typeName);
  const items: IngestItem[] = [];
  for (const mtlPath of await findLandsatMtlFiles(inputs)) {
    throwIfAborted(context.signal);
    const text = await readFile(mtlPath, 'utf8');
    const metadata = readLandsatMetadata(mtlPath.toLowerCase().endsWith('.json') ? (JSON.parse(text) as MtlTree) : parseMtlText(text));
    if (!sensor.spacecraft.test(metadata.spacecraft)) {
      throw new RasterTypeError(`${path.basename(mtlPath)} describes a ${metadata.spacecraft || 'non-Landsat'} scene, not ${typeName}`);
    }
    items.push(await buildItem(metadata, path.dirname(mtlPath), sensor, template, context));
  }
  return items;
}

async function buildItem(metadata: LandsatMetadata, folder: string, sensor: LandsatSensor, template: Template, context: RasterTypeContext): Promise<IngestItem> {
  const productId = metadata.productId || path.basename(folder);
  const vrtPath = path.join(context.scratchDir, `${productId}_${template.replace(/ /g, '')}.vrt`);
  let bands: LandsatBand[];
  if (template === 'Pansharpen') {
    checkPansharpenType(getProp(context.props, 'pansharpenType'));
    bands = sensor.pansharpenKeys.map((key) => sensor.multispectral.find((b) => b.key === key)!);
    const [pan] = await bandFiles(metadata, folder, sensor.panchromatic);
    const spectral = await bandFiles(metadata, folder, bands);
    await writePansharpenVrt(vrtPath, pan, spectral, parseWeights(getProp(context.props, 'pansharpenWeights'), sensor), FILL);
  } else {
    bands = templateBands(sensor, template).filter((b) => !b.optional || findBandKey(metadata.bandFiles, b.key));
    const files = await bandFiles(metadata, folder, bands);
    await writeBandStackVrt(vrtPath, files, { bandNames: bands.map((b) => b.name), noData: FILL });
  }
  const scaling = bands.map((b) => metadata.reflectance[findBandKey(metadata.bandFiles, b.key) ?? b.key]);
  return {
    name: template === 'Multispectral' ? productId : `${productId}_${template.replace(/ /g, '')}`,
    sourcePath: vrtPath,
    bandNames: bands.map((b) => b.name),
    noData: FILL,
    bandScaling: scaling.every(Boolean) && template !== 'Pansharpen' ? scaling : undefined,
    attributes: {
      ProductName: metadata.processingLevel || null,
      SensorName: sensor.sensorName(metadata.spacecraft),
      AcquisitionDate: metadata.acquisitionTime,
      CloudCover: metadata.cloudCover,
      SunAzimuth: metadata.sunAzimuth,
      SunElevation: metadata.sunElevation,
      Tag: TAGS[template],
      GroupName: productId,
      WRSPath: metadata.wrsPath,
      WRSRow: metadata.wrsRow,
      CollectionNumber: metadata.collection,
    },
  };
}

const TAGS: Record<Template, string> = { Multispectral: 'MS', Panchromatic: 'Pan', Pansharpen: 'Pansharpened', Thermal: 'Thermal', 'All Bands': 'All' };

function templateBands(sensor: LandsatSensor, template: Template): LandsatBand[] {
  if (template === 'Panchromatic') return sensor.panchromatic;
  if (template === 'Thermal') return sensor.thermal;
  if (template === 'All Bands') return [...sensor.multispectral, ...sensor.thermal];
  return sensor.multispectral;
}

/** Paths of the bands' files; a missing file is a clear error naming the band. */
async function bandFiles(metadata: LandsatMetadata, folder: string, bands: LandsatBand[]): Promise<string[]> {
  const files: string[] = [];
  for (const band of bands) {
    const key = findBandKey(metadata.bandFiles, band.key);
    const file = key ? path.join(folder, metadata.bandFiles[key]) : undefined;
    if (!file || !(await access(file).then(() => true, () => false))) {
      throw new RasterTypeError(`${metadata.productId || path.basename(folder)}: band ${band.key} (${band.name}) file is missing`);
    }
    files.push(file);
  }
  return files;
}

function parseTemplate(value: unknown, typeName: string): Template {
  const key = String(value ?? 'Multispectral').toLowerCase().replace(/[\s_-]/g, '');
  if (['multispectral', 'ms', 'pansharpenandmultispectral', ''].includes(key)) return 'Multispectral';
  if (['panchromatic', 'pan'].includes(key)) return 'Panchromatic';
  if (['pansharpen', 'pansharpened'].includes(key)) return 'Pansharpen';
  if (key === 'thermal') return 'Thermal';
  if (['allbands', 'all'].includes(key)) return 'All Bands';
  throw new RasterTypeError(`Processing template '${String(value)}' is not supported for ${typeName}; use Multispectral, Panchromatic, Pansharpen, Thermal or All Bands`);
}

function checkPansharpenType(value: unknown): void {
  const method = String(value ?? '').trim();
  if (method !== '' && method.toLowerCase() !== 'brovey') {
    throw new RasterTypeError(`Pansharpen type '${method}' is not supported yet; only Brovey is`);
  }
}

/** `pansharpenWeights` "r, g, b, nir" text (or array); GDAL only does weighted Brovey. */
function parseWeights(value: unknown, sensor: LandsatSensor): number[] {
  if (value === undefined || value === null || value === '') return sensor.defaultWeights;
  const weights = (Array.isArray(value) ? value : String(value).split(/[,;\s]+/).filter(Boolean)).map(Number);
  if (weights.length !== 4 || weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new RasterTypeError(`pansharpenWeights must be four numbers "red, green, blue, nir", got '${String(value)}'`);
  }
  return weights;
}
