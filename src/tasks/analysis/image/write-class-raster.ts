import gdal from 'gdal-async';
import type { Grid } from '../hydrology/grid.js';
import type { ClassInfo } from './classifier-definition.js';
import { timeSection } from '../engines/section-times.js';

/**
 * Writes a classified raster: 8-bit class values (0 = unclassified, NoData), a colour table with
 * each class's colour, and the class names as GDAL category names.
 */
export function writeClassRaster(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, values: Float64Array, classes: ClassInfo[]): Promise<void> {
  return timeSection('write result grid', () => writeClasses(file, template, values, classes));
}

async function writeClasses(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, values: Float64Array, classes: ClassInfo[]): Promise<void> {
  const dataset = await gdal.drivers.get('GTiff').createAsync(file, template.width, template.height, 1, 'Byte', ['COMPRESS=ZSTD', 'ZSTD_LEVEL=1', 'TILED=YES']);
  try {
    dataset.geoTransform = template.geoTransform;
    if (template.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(template.srsWkt);
    const band = dataset.bands.get(1);
    band.noDataValue = 0;
    const table = new gdal.ColorTable('RGB');
    const names: string[] = [];
    const top = Math.max(0, ...classes.map((c) => c.value));
    for (let v = 0; v <= top; v++) {
      const info = classes.find((c) => c.value === v);
      table.set(v, info ? { c1: info.color[0], c2: info.color[1], c3: info.color[2], c4: 255 } : { c1: 0, c2: 0, c3: 0, c4: 0 });
      names.push(info?.name ?? '');
    }
    band.colorTable = table;
    band.categoryNames = names;
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]!) ? 0 : values[i]!;
    await band.pixels.writeAsync(0, 0, template.width, template.height, out);
    dataset.flush();
  } finally {
    dataset.close();
  }
}
