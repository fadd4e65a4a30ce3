import sharp from 'sharp';
import type { CollectionRecord } from '../store/catalog-store.js';
import type { RenderingRule } from './raster-functions/rendering-rule.js';

/** One legend patch of an ImageServer `legend` answer: 20 × 20 px at 96 dpi, base64 PNG. */
export interface LegendEntry {
  label: string;
  url: string;
  imageData: string;
  contentType: 'image/png';
  height: number;
  width: number;
}

const SIZE = 20;

/**
 * The ImageServer `legend` answer (ArcGIS REST "Legend (Image Service)"): one raster layer whose
 * patches follow how the picture is drawn — an RGB composite names the bands shown as red, green
 * and blue; one band (or a rule producing one: NDVI, Hillshade, ExtractBand of one band) is a
 * stretched ramp labelled with its high and low values.
 *
 * @example await buildLegend(collection, { bandIds: [2, 1, 0], rule: null })
 */
export async function buildLegend(collection: CollectionRecord, options: { bandIds?: number[]; rule: RenderingRule | null }): Promise<Record<string, unknown>> {
  const summary = collection.summary;
  const names = Array.from({ length: summary.bandCount }, (_, i) => `Band_${i + 1}`);
  let shown = options.bandIds?.length ? options.bandIds : names.map((_, i) => i);
  let range: [number, number] | undefined;
  const outermost = options.rule?.name.toLowerCase();
  if (outermost === 'ndvi') range = [-1, 1];
  else if (outermost === 'hillshade') range = [0, 255];
  else if (outermost === 'extractband' && Array.isArray(options.rule?.args.BandIDs)) shown = (options.rule.args.BandIDs as unknown[]).map(Number);
  let legend: LegendEntry[];
  let legendType: string;
  if (!range && shown.length >= 3) {
    legendType = 'RGB Composite';
    const colours: Array<[string, [number, number, number]]> = [['Red', [255, 0, 0]], ['Green', [0, 255, 0]], ['Blue', [0, 0, 255]]];
    legend = await Promise.all(colours.map(([label, rgb], i) => patch(`${label}: ${names[shown[i]!] ?? `Band_${shown[i]! + 1}`}`, solid(rgb))));
  } else {
    legendType = 'Stretched';
    const stats = summary.statistics?.[shown[0] ?? 0];
    const [low, high] = range ?? [stats?.min ?? 0, stats?.max ?? 255];
    legend = await Promise.all([patch(`High : ${round(high)}`, ramp(255, 128)), patch(`Low : ${round(low)}`, ramp(128, 0))]);
  }
  return { layers: [{ layerId: 0, layerName: collection.name, layerType: 'Raster Layer', minScale: 0, maxScale: 0, legendType, legend }] };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Raw RGBA pixels of one colour. */
function solid(rgb: [number, number, number]): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let i = 0; i < SIZE * SIZE; i++) pixels.set([...rgb, 255], i * 4);
  return pixels;
}

/** Raw RGBA pixels of a grey ramp from `top` (first row) to `bottom` (last row). */
function ramp(top: number, bottom: number): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let row = 0; row < SIZE; row++) {
    const v = Math.round(top + ((bottom - top) * row) / (SIZE - 1));
    for (let col = 0; col < SIZE; col++) pixels.set([v, v, v, 255], (row * SIZE + col) * 4);
  }
  return pixels;
}

async function patch(label: string, rgba: Buffer): Promise<LegendEntry> {
  const png = await sharp(rgba, { raw: { width: SIZE, height: SIZE, channels: 4 } }).png().toBuffer();
  return { label, url: '', imageData: png.toString('base64'), contentType: 'image/png', height: SIZE, width: SIZE };
}
