import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { canSeeService } from '../../catalog/service-access.js';
import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import { publicBaseUrl } from '../../http/base-url.js';
import { canSeeItem } from '../../portal/item-access.js';
import type { Stores } from '../../store/index.js';
import { imageServiceDefinition, parseImageServiceUrl } from '../image-service-definition.js';
import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';

/** Another raster a rendering rule names, as the on-the-fly operations draw it: a collection, or one of its items. */
export interface RuleRaster {
  collection: CollectionRecord;
  /** `…/ImageServer/<rasterId>`: that catalog item alone. */
  objectId?: number;
}

/** Finds the raster a rule's `Raster`, `Rasters` entry or `ClippingRaster` names (see `rasterInputs`). */
export type RuleRasterResolver = (value: unknown) => Promise<RuleRaster>;

export interface RuleRasterDeps {
  stores: Pick<Stores, 'items' | 'services'>;
  catalog: CatalogStore;
  principal: Principal | null;
  /** This server's base URLs (public, and as the client called it): URLs elsewhere are refused. */
  serverUrls: readonly string[];
}

/**
 * Resolves the other rasters of a rendering rule the way a task resolves its raster inputs, for
 * what can be drawn on the fly: `{"url"}` (or the URL as text) of one of this server's image
 * services or catalog items, and `{"itemId"}` of an image service item, both visible to the
 * caller. `{"uri"}` paths and other servers' URLs are files to copy, which GenerateRaster
 * reads; here they are a 400 that says so.
 *
 * @example const other = await ruleRasterResolver(deps)({ url: 'https://me/arcgis/rest/services/Hosted/dem/ImageServer' })
 */
export function ruleRasterResolver(deps: RuleRasterDeps): RuleRasterResolver {
  return async (value) => {
    const object = (typeof value === 'string' ? { url: value } : value) as Record<string, unknown>;
    const itemId = object.itemId ?? object.itemid;
    if (typeof itemId === 'string' && itemId !== '') {
      const item = /^[0-9a-f]{32}$/i.test(itemId) ? await deps.stores.items.get(itemId.toLowerCase()) : undefined;
      if (!item || !canSeeItem(item, deps.principal) || !item.url) throw invalid(`item '${itemId}' is not an image service you can see`);
      return fromUrl(item.url, itemId, deps, true);
    }
    if (typeof object.url === 'string' && object.url !== '') return fromUrl(object.url, object.url, deps, false);
    if (typeof object.uri === 'string' && object.uri !== '') throw invalid(`raster '${object.uri}' is a file: only GenerateRaster reads {"uri"} rasters; draw an image service ({"url"} or {"itemId"}) here`);
    throw invalid('a raster must be given as {"url"}, {"itemId"} or an image service URL');
  };
}

async function fromUrl(text: string, label: string, deps: RuleRasterDeps, trusted: boolean): Promise<RuleRaster> {
  const plain = text.trim().split(/[?#]/)[0]!;
  const item = /^(.*\/ImageServer)\/(\d+)\/?$/i.exec(plain);
  const serviceUrl = item ? item[1]! : plain;
  if (!trusted && /^https?:\/\//i.test(serviceUrl) && !deps.serverUrls.some((base) => isUnder(serviceUrl, base))) {
    throw invalid(`raster '${label}' is not an image service of this server: only GenerateRaster reads other servers' rasters`);
  }
  const parsed = parseImageServiceUrl(serviceUrl);
  const service = parsed ? await deps.stores.services.get(parsed.folder, parsed.name, 'ImageServer') : undefined;
  const id = service && canSeeService(service, deps.principal) ? imageServiceDefinition(service).collectionId : undefined;
  const collection = id ? await deps.catalog.getCollection(id) : undefined;
  if (!collection) throw invalid(`raster '${label}' is not an image service you can see`);
  return item ? { collection, objectId: Number(item[2]) } : { collection };
}

/** The resolver for a request's caller, with this server's URLs as the request names them. */
export function requestRuleRasters(context: { config: Config; stores: Pick<Stores, 'items' | 'services'> }, catalog: CatalogStore, request: FastifyRequest): RuleRasterResolver {
  const serverUrls = [publicBaseUrl(context.config, request), context.config.publicUrl].filter((url) => url.trim() !== '');
  return ruleRasterResolver({ stores: context.stores, catalog, principal: request.arcgis.principal, serverUrls });
}

function isUnder(url: string, base: string): boolean {
  try {
    const [target, root] = [new URL(url), new URL(base)];
    const prefix = root.pathname.replace(/\/+$/, '').toLowerCase();
    return target.origin.toLowerCase() === root.origin.toLowerCase() && target.pathname.toLowerCase().startsWith(`${prefix}/rest/services/`);
  } catch {
    return false;
  }
}

function invalid(detail: string): ApiError {
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: ${detail}`);
}
