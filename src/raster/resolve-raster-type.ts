import { throwIfAborted, RasterTypeError } from './raster-error.js';
import type { IngestItem, RasterTypeContext, RasterTypeProps } from './raster-types/ingest-item.js';
import { resolveLandsat } from './raster-types/landsat.js';
import { resolveRasterDatasets } from './raster-types/raster-dataset.js';
import { findKnownUnsupportedType, normaliseRasterTypeName } from './raster-types/raster-type-name.js';
import { resolveSentinel2 } from './raster-types/sentinel2.js';
import { resolveFrames } from './raster-types/uav-frames.js';
import { resolveZy3 } from './raster-types/zy3.js';

export type { IngestAttributes, IngestItem, RasterTypeProps } from './raster-types/ingest-item.js';

export interface ResolveRasterTypeOptions {
  /**
   * Folder for the VRTs some types write (Landsat band stacks, UAV frames with GCPs). Items point
   * into it, so it must live until the items are converted; the caller owns and deletes it.
   */
  scratchDir: string;
  signal?: AbortSignal;
}

/**
 * Turns the inputs of CreateImageCollection / AddImage into catalog items for a raster type:
 * each item names what GDAL should open (`sourcePath`) and the attributes to store. Inputs are
 * local paths (files or folders); resolve item ids and URLs before calling. Anything the type
 * cannot handle fails with a RasterTypeError whose message is safe to show.
 *
 * @example
 * const items = await resolveRasterType('/uploads/flight1', 'UAV/UAS',
 *   { gps: [['DJI_0001.JPG', 34.0069, -117.0927, 400]], constantZ: 100 }, { scratchDir });
 * for (const item of items) await convertToCog(item.sourcePath, out(item.name), { noData: item.noData });
 */
export async function resolveRasterType(input: string | string[], rasterType: string, rasterTypeProps: RasterTypeProps | undefined, options: ResolveRasterTypeOptions): Promise<IngestItem[]> {
  const inputs = Array.isArray(input) ? input : [input];
  if (inputs.length === 0) throw new RasterTypeError('No input rasters were given');
  throwIfAborted(options.signal);
  const context: RasterTypeContext = { props: rasterTypeProps ?? {}, scratchDir: options.scratchDir, signal: options.signal };
  const type = normaliseRasterTypeName(rasterType);
  switch (type) {
    case 'Raster Dataset':
      return resolveRasterDatasets(inputs, context);
    case 'UAV/UAS':
    case 'Aerial':
    case 'ScannedAerial':
      return resolveFrames(inputs, type, context);
    case 'Landsat 7 ETM+':
    case 'Landsat 8':
      return resolveLandsat(inputs, type, context);
    case 'Sentinel-2':
      return resolveSentinel2(inputs, context);
    case 'ZY3-SASMAC':
    case 'ZY3-CRESDA':
      return resolveZy3(inputs, type, context);
    case null: {
      const known = findKnownUnsupportedType(rasterType);
      throw new RasterTypeError(known ? `The ${known} raster type is not supported yet` : `Unknown raster type '${rasterType}'`);
    }
  }
}
