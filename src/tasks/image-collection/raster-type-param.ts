import { TaskError } from '../../jobs/task.js';
import { findKnownUnsupportedType, normaliseRasterTypeName, type RasterTypeName } from '../../raster/raster-types/raster-type-name.js';
import { readKey, readObjectParam } from './param-values.js';

/** The `rasterType` parameter, read. */
export interface RasterTypeSpec {
  /** Canonical name, e.g. `Landsat 7 ETM+` for the `Landsat 7` alias. */
  name: RasterTypeName;
  parameters: Record<string, unknown>;
  /** `imageCollectionProps.imageCollectionType`; undefined when the request did not set it. */
  collectionType?: string;
}

const COLLECTION_TYPES = ['UAV/UAS', 'Aerial', 'ScannedAerial', 'Satellite'];

/**
 * Reads `rasterType`: `{"rasterTypeName", "rasterTypeParameters", "imageCollectionProps"}` or just
 * a name. An unknown name fails the job; a known one we cannot ingest yet fails later, in the
 * raster type itself, with its own message.
 */
export function readRasterType(value: unknown): RasterTypeSpec {
  const object = typeof value === 'string' && !value.trim().startsWith('{') ? { rasterTypeName: value } : readObjectParam('rasterType', value);
  const rawName = String(readKey(object, 'rasterTypeName') ?? '');
  const name = normaliseRasterTypeName(rawName);
  if (!name) {
    const known = findKnownUnsupportedType(rawName);
    throw new TaskError(known ? `The ${known} raster type is not supported yet.` : `Raster type '${rawName}' is unknown.`);
  }
  const parameters = readKey(object, 'rasterTypeParameters');
  const props = readKey(object, 'imageCollectionProps');
  const rawType = props && typeof props === 'object' ? readKey(props as Record<string, unknown>, 'imageCollectionType') : undefined;
  let collectionType: string | undefined;
  if (typeof rawType === 'string' && rawType) {
    collectionType = COLLECTION_TYPES.find((t) => t.toLowerCase() === rawType.toLowerCase());
    if (!collectionType) throw new TaskError(`imageCollectionType '${rawType}' is not one of ${COLLECTION_TYPES.join(', ')}.`);
  }
  return {
    name,
    parameters: parameters && typeof parameters === 'object' && !Array.isArray(parameters) ? (parameters as Record<string, unknown>) : {},
    collectionType,
  };
}
