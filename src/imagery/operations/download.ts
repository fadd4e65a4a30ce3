import { createReadStream } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../errors.js';
import { param, readParams } from '../../http/operation-params.js';
import { formatOf, sendResource } from '../../http/respond.js';
import { areaOf } from '../render/collection-statistics.js';
import { findRasterFile, listRasterFiles } from '../render/download-files.js';
import { readCollectionGeometry } from '../render/geometry-params.js';
import { parseMosaicRule } from '../render/mosaic-rule.js';
import { areaPolygon, catalogQueryFor } from '../render/select-items.js';
import type { CatalogItem, CollectionRecord } from '../store/catalog-store.js';
import { operationPage, type RenderOperation } from './render-deps.js';

/** download's parameters (ArcGIS Download Rasters), in the order of its form. */
export const DOWNLOAD_PARAMS = {
  rasterIds: param((params, name) => {
    const ids = params.list(name)?.map(Number);
    if (ids?.some((id) => !Number.isInteger(id))) throw ApiError.invalidParameter(`'${name}' parameter is invalid`);
    return ids;
  }),
  // Read only when no rasterIds are given (then a bad geometry beside them is ignored).
  geometry: {
    read: (params: Parameters<typeof readCollectionGeometry>[0], _name: string, collection: CollectionRecord) => () => {
      if (!params.has('geometry')) return undefined;
      const area = areaOf(readCollectionGeometry(params, collection).geometry);
      if (!area) throw ApiError.invalidParameter("'geometry' parameter is invalid");
      return area;
    },
    input: { type: 'textarea' as const },
    companions: [{ name: 'geometryType' }],
  },
  format: param((params, name) => {
    const format = params.string(name);
    if (format && !/^(tiff?|source)$/i.test(format)) throw ApiError.invalidParameter(`'${name}' parameter is invalid: only the source format (or TIFF for GeoTIFF sources) can be downloaded`);
    return format;
  }),
};

/** `download`: the files of the rasters asked for, by id or by area. */
export const downloadOperation: RenderOperation = {
  path: '/download',
  needs: ['Catalog', 'Download'],
  async handle(request, reply, target, deps) {
    const params = request.arcgis.params;
    const page = operationPage(deps, request, target, 'download', DOWNLOAD_PARAMS);
    if (formatOf(request) === 'html' && !params.has('rasterIds') && !params.has('geometry')) return sendResource(request, reply, {}, page);
    const { rasterIds, geometry } = readParams(DOWNLOAD_PARAMS, params, target.collection);
    let items: CatalogItem[];
    const area = rasterIds ? undefined : geometry();
    if (rasterIds) items = await deps.catalog.queryItems(target.collection.id, { objectIds: rasterIds }, request.arcgis.signal);
    else if (area) items = await deps.catalog.queryItems(target.collection.id, catalogQueryFor(target.collection, parseMosaicRule(undefined), areaPolygon(area.box), deps.catalog.dialect), request.arcgis.signal);
    else throw ApiError.invalidParameter("'rasterIds' or 'geometry' parameter is required");
    const files = await listRasterFiles(items, target.collection);
    const body = { rasterFiles: files.map(({ id, size, rasterIds }) => ({ id, size, rasterIds })) };
    return sendResource(request, reply, body, page);
  },
};

/** `file?id=…&rasterId=…`: one file a download listed. */
export const fileOperation: RenderOperation = {
  path: '/file',
  needs: ['Catalog', 'Download'],
  async handle(request, reply, target, deps) {
    const params = request.arcgis.params;
    const id = params.required('id');
    const rasterId = params.int('rasterId') ?? Number(/\/(\d+)\//.exec(id)?.[1]);
    if (!Number.isInteger(rasterId)) throw ApiError.invalidParameter("'rasterId' parameter is required");
    const [item] = await deps.catalog.queryItems(target.collection.id, { objectIds: [rasterId] }, request.arcgis.signal);
    const file = item ? await findRasterFile(item, target.collection, id) : null;
    if (!file) throw new ApiError(404, 'File not found', [`'${id}' is not a file of raster ${rasterId}.`]);
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${path.basename(file).replace(/"/g, '')}"`).send(createReadStream(file));
  },
};
