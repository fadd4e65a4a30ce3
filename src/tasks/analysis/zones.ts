import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError } from '../../jobs/task.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import type { AnalysisDeps } from './analysis-task.js';
import { gdalStep } from './analysis-task.js';
import { resolveFeatureInput } from './feature-input.js';
import { readGrid, type Grid } from './grid-io.js';
import { resolveRasterInput } from './raster-input.js';
import { isFeatureInput } from './source-input.js';
import { readVectorFacts, requireField } from './vector-facts.js';

/** Zones on the analysis grid: a zone number per cell, and what each number stands for. */
export interface ZoneGrid {
  /** Index into `labels` per cell (valid only where `valid` is 1). */
  zone: Int32Array;
  valid: Uint8Array;
  /** The zone field's value of each zone (raster zones: the cell value). */
  labels: Array<string | number>;
  /** The zone field as the input spells it (`Value` for raster zones). */
  fieldName: string;
  /** Whether the labels are numbers. */
  numeric: boolean;
}

/**
 * Puts a zone input (raster or features) on `grid`: rasters warped to it (nearest), features
 * burnt with their FID and mapped to `zoneField` values, so that features sharing a value form
 * one zone, whatever the field's type.
 */
export async function zonesOnGrid(param: string, value: unknown, zoneField: string, grid: Grid, deps: AnalysisDeps, work: string, signal: AbortSignal): Promise<ZoneGrid> {
  const e = gridExtent(grid);
  const size = ['-te', String(e.xmin), String(e.ymin), String(e.xmax), String(e.ymax), '-ts', String(grid.width), String(grid.height)];
  const file = path.join(work, `${param}-zones.tif`);
  if (!(await isFeatureInput(param, value, deps))) {
    const raster = await resolveRasterInput(param, value, deps, work, signal);
    if (zoneField.toLowerCase() !== 'value') throw new TaskError(`'zoneField': raster zones are read by their cell values; use "Value".`);
    await gdalStep(`Reading '${param}'`, () => runGdalCommand('gdalwarp', ['-q', '-overwrite', '-r', 'near', '-t_srs', grid.srsWkt, ...size, raster.source, file], { signal }));
    const zones = await readGrid(file);
    const { zone, labels } = indexZoneValues(zones.values, zones.valid);
    return { zone, valid: zones.valid, labels, fieldName: 'Value', numeric: true };
  }
  const features = await resolveFeatureInput(param, value, deps, work);
  const facts = await readVectorFacts(param, features);
  const field = requireField('zoneField', facts, zoneField, false);
  const byFid = await readFieldByFid(features.source, field.name);
  const sql = `SELECT FID AS zone_fid FROM "${facts.layerName.replace(/"/g, '""')}"`;
  await gdalStep(`Rasterizing '${param}'`, () =>
    runGdalCommand('gdal_rasterize', ['-q', '-sql', sql, '-a', 'zone_fid', '-ot', 'Int32', '-a_nodata', '-1', '-init', '-1', '-a_srs', grid.srsWkt, ...size, features.source, file], { signal }),
  );
  const fids = await readGrid(file);
  const index = new Map<string | number, number>();
  const zone = new Int32Array(fids.values.length);
  const valid = new Uint8Array(fids.values.length);
  for (let i = 0; i < zone.length; i++) {
    if (!fids.valid[i] || fids.values[i] < 0) continue;
    const label = byFid.get(fids.values[i]);
    if (label === undefined || label === null) continue;
    let z = index.get(label);
    if (z === undefined) index.set(label, (z = index.size));
    zone[i] = z;
    valid[i] = 1;
  }
  return { zone, valid, labels: [...index.keys()], fieldName: field.name, numeric: facts.fields.get(field.name.toLowerCase())!.numeric };
}

/**
 * Numbers zone values 0, 1, 2… in the order they first appear. Integer zones in a span of up to
 * a million values (classes, codes) go through a lookup array, not a Map per cell.
 */
export function indexZoneValues(values: Float64Array, valid: Uint8Array): { zone: Int32Array; labels: number[] } {
  const zone = new Int32Array(values.length);
  const labels: number[] = [];
  let [low, high, integers] = [Infinity, -Infinity, true];
  for (let i = 0; i < values.length; i++) {
    if (!valid[i]) continue;
    const v = values[i];
    if (v < low) low = v;
    if (v > high) high = v;
    if (!Number.isInteger(v)) integers = false;
  }
  if (integers && high - low < 1 << 20) {
    const byValue = new Int32Array(high - low + 1).fill(-1);
    for (let i = 0; i < values.length; i++) {
      if (!valid[i]) continue;
      const slot = values[i] - low;
      if (byValue[slot] < 0) byValue[slot] = labels.push(values[i]) - 1;
      zone[i] = byValue[slot];
    }
    return { zone, labels };
  }
  const index = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    if (!valid[i]) continue;
    let z = index.get(values[i]);
    if (z === undefined) index.set(values[i], (z = labels.push(values[i]) - 1));
    zone[i] = z;
  }
  return { zone, labels };
}

async function readFieldByFid(source: string, fieldName: string): Promise<Map<number, string | number>> {
  const dataset = await gdal.openAsync(source);
  try {
    const layer = dataset.layers.get(0);
    const out = new Map<number, string | number>();
    for (let f = layer.features.first(); f; f = layer.features.next()) out.set(f.fid, f.fields.get(fieldName) as string | number);
    return out;
  } finally {
    dataset.close();
  }
}

export function gridExtent(grid: Pick<Grid, 'geoTransform' | 'width' | 'height'>): { xmin: number; ymin: number; xmax: number; ymax: number } {
  const gt = grid.geoTransform;
  const x2 = gt[0] + gt[1] * grid.width;
  const y2 = gt[3] + gt[5] * grid.height;
  return { xmin: Math.min(gt[0], x2), xmax: Math.max(gt[0], x2), ymin: Math.min(gt[3], y2), ymax: Math.max(gt[3], y2) };
}
