import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { sendResource } from '../../http/respond.js';
import { summarizeArea } from '../render/collection-statistics.js';
import { parseMosaicRule } from '../render/mosaic-rule.js';
import { rasterItemInfo, rasterKeyProperties } from '../render/raster-item-info.js';
import type { RenderTarget } from '../render/render-target.js';
import type { CatalogItem } from '../store/catalog-store.js';
import { operationPage, type RenderDeps, type RenderOperation, type ServiceParams } from './render-deps.js';

type Part = 'info' | 'keyProperties' | 'histograms';

/** `<rasterId>/info`, `…/info/keyProperties`, `…/info/histograms` (ArcGIS Raster Info, Key Properties, Raster Histograms). */
function rasterInfoOperation(part: Part): RenderOperation {
  return {
    path: part === 'info' ? '/:rasterId/info' : `/:rasterId/info/${part}`,
    needs: ['Catalog'],
    async handle(request, reply, target, deps) {
      const item = await rasterItem(deps, target, request);
      let body: unknown;
      if (part === 'info') body = rasterItemInfo(item, target.collection);
      else if (part === 'keyProperties') body = rasterKeyProperties(item, target.collection);
      else {
        const rule = parseMosaicRule({ mosaicMethod: 'esriMosaicLockRaster', lockRasterIds: [item.objectId] });
        body = { histograms: (await summarizeArea(deps.catalog, target.collection, item.bbox, { rule, renderingRule: null, signal: request.arcgis.signal })).histograms };
      }
      return sendResource(request, reply, body, operationPage(deps, request, target, `Raster ${item.objectId} ${part}`));
    },
  };
}

async function rasterItem(deps: RenderDeps, target: RenderTarget, request: FastifyRequest): Promise<CatalogItem> {
  const raw = (request.params as ServiceParams).rasterId ?? '';
  if (!/^\d+$/.test(raw)) throw ApiError.invalidUrl();
  const [item] = await deps.catalog.queryItems(target.collection.id, { objectIds: [Number(raw)], returnGeometry: false }, request.arcgis.signal);
  if (!item) throw new ApiError(404, 'Raster not found', [`Raster ${raw} does not exist in '${target.service.name}'.`]);
  return item;
}

export const rasterInfoOperations = (['info', 'keyProperties', 'histograms'] as const).map(rasterInfoOperation);
