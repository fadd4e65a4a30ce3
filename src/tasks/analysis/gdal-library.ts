import { rm, writeFile } from 'node:fs/promises';
import gdal from 'gdal-async';
import { escapeXml } from '../../raster/raster-types/write-band-vrt.js';
import { isFloatType } from '../../raster/pixel-type.js';
import { buildInternalOverviews } from '../../raster/internal-overviews.js';
import { RasterError, throwIfAborted } from '../../raster/raster-error.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { cleanGdalMessage } from '../../raster/clean-gdal-message.js';
import { OUTPUT_NODATA } from './grid-io.js';
import type { GridShape } from './hydrology/grid.js';

/**
 * `gdal_rasterize` and `gdalwarp` for analysis results, run as GDAL's library functions in this
 * job worker when every input is a local file: the same code and arguments, so the same pixels,
 * without the ~0.1 s CPU of starting a GDAL program, and the result's internal overviews built
 * on the dataset still open, so the raster store takes the file as it is instead of opening and
 * reading it back (together ~0.2 s of a 0.5 s job on 2000² grids, bench/raster-analysis.ts).
 * A library call cannot be interrupted: a cancel ends the worker process after the runner's grace
 * period. Inputs read over the network may stall indefinitely, so they keep the command, which a
 * cancel kills at once.
 */
export async function rasterizeResult(args: string[], source: string, file: string, signal: AbortSignal): Promise<void> {
  if (!isLocalFile(source)) return runGdalCommand('gdal_rasterize', [...args, source, file], { signal });
  await inLibrary('gdal_rasterize', signal, async () => {
    const features = await gdal.openAsync(source);
    try {
      return await gdal.rasterizeAsync(file, features, args);
    } finally {
      features.close();
    }
  });
}

/** `gdalwarp args sources… file`, as rasterizeResult runs gdal_rasterize. */
export async function warpResult(args: string[], sources: string[], file: string, signal: AbortSignal): Promise<void> {
  if (!sources.every(isLocalFile)) return runGdalCommand('gdalwarp', [...args, ...sources, file], { signal });
  await inLibrary('gdalwarp', signal, async () => {
    const inputs = await Promise.all(sources.map((source) => gdal.openAsync(source)));
    try {
      return await gdal.warpAsync(file, null, inputs, args);
    } finally {
      for (const input of inputs) input.close();
    }
  });
}

/**
 * `gdal_translate args source file` as a library call, the result given its overviews as
 * rasterizeResult's: for a source this job wrote on this machine (an engine's output, or a VRT
 * recipe over one), never a network read that a cancel would have to interrupt.
 */
export async function translateResult(args: string[], source: string, file: string, signal: AbortSignal, then?: (result: gdal.Dataset) => void): Promise<void> {
  await inLibrary('gdal_translate', signal, async () => {
    const input = await gdal.openAsync(source);
    try {
      const result = await gdal.translateAsync(file, input, args);
      then?.(result);
      return result;
    } finally {
      input.close();
    }
  });
}

/**
 * Band 1 of an engine's `source` (on `grid`: same size) as a Float32 result, each value
 * × `scale` + `offset`, in one translateResult pass instead of reading the cells into the worker
 * and writing them again. Cells the source masks are NoData, or 0 with `masked: 'zero'` (the band
 * still declares OUTPUT_NODATA.Float32, as writeGrid's results). The value is that of the
 * worker's loop: GDAL works it out in double and rounds it to Float32 once.
 */
export async function writeScaledResult(source: string, grid: GridShape, scale: number, offset: number, masked: 'noData' | 'zero', file: string, signal: AbortSignal): Promise<void> {
  const vrt = `${file}.vrt`;
  const srs = grid.srsWkt ? `<SRS>${escapeXml(grid.srsWkt)}</SRS>` : '';
  // No NoDataValue on the VRT band: masked cells keep the buffer's initial 0.
  const noData = masked === 'noData' ? `<NoDataValue>${OUTPUT_NODATA.Float32}</NoDataValue>` : '';
  const band = `<ComplexSource><SourceFilename relativeToVRT="0">${escapeXml(source)}</SourceFilename><SourceBand>1</SourceBand><UseMaskBand>true</UseMaskBand><ScaleOffset>${offset}</ScaleOffset><ScaleRatio>${scale}</ScaleRatio></ComplexSource>`;
  await writeFile(vrt, `<VRTDataset rasterXSize="${grid.width}" rasterYSize="${grid.height}">${srs}<GeoTransform>${grid.geoTransform.join(', ')}</GeoTransform><VRTRasterBand dataType="Float32" band="1">${noData}${band}</VRTRasterBand></VRTDataset>`);
  await translateResult(['-of', 'GTiff', '-co', 'COMPRESS=ZSTD', '-co', 'ZSTD_LEVEL=1', '-co', 'TILED=YES'], vrt, file, signal, (result) => {
    if (masked === 'zero') result.bands.get(1).noDataValue = OUTPUT_NODATA.Float32;
  });
  await rm(vrt, { force: true });
}

/**
 * `gdal_polygonize.py -q -b 1 -f GPKG source file layer field` as its Python does it (a GeoPackage
 * layer of polygons in the raster's SRS, one integer field, band 1 under its mask band, 4-connected)
 * through the same GDALPolygonize in this worker: no Python start (~0.1 s CPU of a 0.4 s job on a
 * 2000² grid, bench/raster-analysis.ts). Remote sources keep the command, as above.
 */
export async function polygonizeToGeoPackage(source: string, file: string, layerName: string, field: string, signal: AbortSignal): Promise<void> {
  if (!isLocalFile(source)) return runGdalCommand('gdal_polygonize.py', ['-q', '-b', '1', '-f', 'GPKG', source, file, layerName, field], { signal });
  throwIfAborted(signal);
  const raster = await gdal.openAsync(source);
  try {
    const band = await raster.bands.getAsync(1);
    const vector = await gdal.drivers.get('GPKG').createAsync(file, 0, 0, 0);
    try {
      const layer = await vector.layers.createAsync(layerName, raster.srs, gdal.wkbPolygon);
      layer.fields.add(new gdal.FieldDefn(field, band.dataType === 'Int64' || band.dataType === 'UInt64' ? gdal.OFTInteger64 : gdal.OFTInteger));
      await gdal.polygonizeAsync({ src: band, mask: band.getMaskBand() ?? undefined, dst: layer, pixValField: 0 });
    } catch (error) {
      throw new RasterError('RASTER_GDAL_FAILED', cleanGdalMessage((error as Error).message ?? '', 'gdal_polygonize failed'), { cause: error });
    } finally {
      vector.close();
    }
  } finally {
    raster.close();
  }
}

/** Runs a library call that makes a dataset, gives it its overviews and closes it; errors as the command's would read. */
async function inLibrary(program: string, signal: AbortSignal, make: () => Promise<gdal.Dataset>): Promise<void> {
  throwIfAborted(signal);
  let result: gdal.Dataset;
  try {
    result = await make();
  } catch (error) {
    throw new RasterError('RASTER_GDAL_FAILED', cleanGdalMessage((error as Error).message ?? '', `${program} failed`), { cause: error });
  }
  try {
    throwIfAborted(signal);
    const band = await result.bands.getAsync(1);
    await buildInternalOverviews(result, isFloatType(band.dataType ?? ''));
  } finally {
    result.close();
  }
}

/** A plain file on this machine (not a /vsi path, URL or VRT, whose reads may go over the network). */
export function isLocalFile(source: string): boolean {
  return !source.startsWith('/vsi') && !/^[a-z][a-z0-9+.-]*:/i.test(source) && !/\.vrt$/i.test(source);
}
