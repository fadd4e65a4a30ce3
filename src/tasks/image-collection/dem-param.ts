import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError } from '../../jobs/task.js';
import { resolveInputRasters, type InputDeps } from '../input-rasters.js';
import type { RasterTypeSpec } from './raster-type-param.js';

/** Raster type parameters that name an elevation raster in the §2.1 form (`url`, `itemId`, `uri`). */
const ELEVATION_KEYS = ['dem', 'averagezdem'];

/**
 * Resolves the elevation inputs of `rasterTypeParameters` as any other input is resolved — item
 * access checked, `uri` confined to data stores, URLs read with `/vsicurl/`, one of our
 * collections mosaicked into a VRT — and replaces them with `{"path": …}` for the raster type.
 * A client's path is never handed on unchecked.
 */
export async function resolveElevationInputs(rasterType: RasterTypeSpec, deps: InputDeps, recipeDir: string): Promise<RasterTypeSpec> {
  const parameters = { ...rasterType.parameters };
  for (const key of Object.keys(parameters)) {
    if (!ELEVATION_KEYS.includes(key.toLowerCase())) continue;
    const value = parameters[key];
    if (value === undefined || value === null || value === '') {
      delete parameters[key];
      continue;
    }
    const object = typeof value === 'string' ? (/^https?:/i.test(value) ? { url: value } : { uri: value }) : value;
    const { inputs } = await resolveInputRasters(object, deps);
    const input = inputs[0];
    if (!input || inputs.length > 1) throw new TaskError(`rasterTypeParameters.${key} must name one elevation raster.`);
    parameters[key] = { path: input.kind === 'raster' ? input.source : await mosaicCollection(input.collection.id, deps, path.join(recipeDir, `${key}.vrt`)) };
  }
  return { ...rasterType, parameters };
}

async function mosaicCollection(collectionId: string, deps: InputDeps, vrtPath: string): Promise<string> {
  const rows = await deps.catalog.queryItems(collectionId, {});
  if (rows.length === 0) throw new TaskError('The elevation image collection is empty.');
  try {
    const dataset = await gdal.buildVRTAsync(vrtPath, rows.map((row) => row.path));
    dataset.close();
  } catch {
    throw new TaskError('The elevation image collection cannot be read as one raster (its images differ in spatial reference or bands).');
  }
  return vrtPath;
}
