import path from 'node:path';
import { inspectRaster } from '../inspect-raster.js';
import { RasterError, RasterTypeError, throwIfAborted } from '../raster-error.js';
import type { RasterInfo } from '../raster-info.js';
import { parseExifDate } from './exif.js';
import type { IngestItem, RasterTypeContext } from './ingest-item.js';
import { listInputFiles } from './list-input-files.js';

/**
 * The `Raster Dataset` type: every georeferenced raster GDAL opens, one item each. Containers
 * with subdatasets (HDF, NetCDF, SAFE) give one item per subdataset. A folder's files that GDAL
 * cannot read are skipped; a named file that it cannot read, or any raster without georeference,
 * fails the whole request with a message naming the file.
 */
export async function resolveRasterDatasets(inputs: string[], context: RasterTypeContext): Promise<IngestItem[]> {
  const items: IngestItem[] = [];
  for (const file of await listInputFiles(inputs)) {
    throwIfAborted(context.signal);
    let info: RasterInfo;
    try {
      info = await inspectRaster(file.path, { signal: context.signal });
    } catch (error) {
      if (!file.explicit && error instanceof RasterError) continue;
      throw error;
    }
    const sources = info.bandCount > 0 ? [{ source: file.path, info }] : await inspectSubdatasets(info, context.signal);
    for (const { source, info: sub } of sources) {
      if (!sub.isGeoreferenced) {
        throw new RasterTypeError(`${path.basename(file.path)} has no georeference (no geotransform, GCPs or RPCs with a spatial reference), so it cannot be added as a Raster Dataset`);
      }
      items.push({ name: itemName(file.path, source, sources.length), sourcePath: source, attributes: describeDataset(sub, file.path) });
    }
  }
  if (items.length === 0) throw new RasterTypeError('No raster GDAL can read was found in the input');
  return items;
}

async function inspectSubdatasets(info: RasterInfo, signal: AbortSignal | undefined): Promise<{ source: string; info: RasterInfo }[]> {
  const out: { source: string; info: RasterInfo }[] = [];
  for (const sub of info.subdatasets) out.push({ source: sub.name, info: await inspectRaster(sub.name, { signal }) });
  return out;
}

function itemName(file: string, source: string, count: number): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  if (count <= 1) return base;
  const suffix = source.split(':').pop() ?? '';
  return `${base}_${suffix}`;
}

function describeDataset(info: RasterInfo, file: string): IngestItem['attributes'] {
  const md = info.metadata;
  const sensor = [md.EXIF_Make, md.EXIF_Model].filter(Boolean).join(' ');
  return {
    ProductName: info.driver,
    SensorName: sensor || null,
    AcquisitionDate: parseExifDate(md.EXIF_DateTimeOriginal ?? md.TIFFTAG_DATETIME),
    Tag: 'Dataset',
    GroupName: path.basename(file).replace(/\.[^.]+$/, ''),
  };
}
