import gdal from 'gdal-async';
import { writeGrid as writeGridWithOverviews } from '../grid-io.js';
import { writeGrid, type Grid } from './grid.js';

export const FLOW_TYPES = ['D8', 'MFD', 'DINF'] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

/**
 * A FlowDirection result says which type it is in its GeoTIFF metadata, so FlowAccumulation can
 * read it right whatever its `flowDirectionType` says. The MFD raster carries the surface as
 * band 2: band 1 shows the D8 codes (ArcGIS too displays an MFD raster as D8), and SAGA's
 * multiple-flow accumulation works from the surface.
 */
export const FLOW_TYPE_KEY = 'TESSERA_FLOW_DIRECTION_TYPE';

/** Writes a direction raster of `type` (MFD: band 2 = `surface`) and tags it. */
export async function writeFlowDirections(file: string, template: Pick<Grid, 'width' | 'height' | 'geoTransform' | 'srsWkt'>, values: ArrayLike<number>, type: FlowType, surface?: ArrayLike<number>): Promise<void> {
  const tag = { [FLOW_TYPE_KEY]: type };
  if (type === 'D8') {
    await writeGrid(file, template, values, 'Int16', false, tag);
  } else if (type === 'DINF') {
    // With its overviews, made from the angles in memory (publishing need not read it back for
    // them); a Float32Array of angles is written as it is, NoData set in place.
    await writeGridWithOverviews(file, { ...template, srsWkt: template.srsWkt ?? '' }, [values], 'Float32', undefined, { reuseBands: true, metadata: tag });
  } else {
    const noData = -3.4028234663852886e38;
    const dataset = await gdal.drivers.get('GTiff').createAsync(file, template.width, template.height, 2, 'Float32', ['COMPRESS=ZSTD', 'ZSTD_LEVEL=1', 'TILED=YES', 'INTERLEAVE=BAND']);
    try {
      dataset.geoTransform = template.geoTransform;
      if (template.srsWkt) dataset.srs = gdal.SpatialReference.fromWKT(template.srsWkt);
      dataset.setMetadata(tag);
      for (const [b, band] of [[1, values], [2, surface!]] as const) {
        const out = new Float32Array(band.length);
        for (let i = 0; i < band.length; i++) out[i] = Number.isNaN(band[i]!) ? noData : band[i]!;
        const raster = dataset.bands.get(b);
        raster.noDataValue = noData;
        await raster.pixels.writeAsync(0, 0, template.width, template.height, out);
      }
      dataset.flush();
    } finally {
      dataset.close();
    }
  }
}

/** The type a direction raster was tagged with, and its band count. */
export async function readFlowTag(file: string): Promise<{ type: FlowType | undefined; bands: number }> {
  const dataset = await gdal.openAsync(file);
  try {
    const tag = ((await dataset.getMetadataAsync()) as Record<string, string>)[FLOW_TYPE_KEY];
    return { type: FLOW_TYPES.find((t) => t === tag), bands: dataset.bands.count() };
  } finally {
    dataset.close();
  }
}
