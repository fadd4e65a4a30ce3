import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { HtmlPage } from '../../html/render-page.js';
import { publicBaseUrl } from '../../http/base-url.js';
import { formInputs, readParams, type ParamSpec, type ParamValues } from '../../http/operation-params.js';
import { formatOf, sendResource } from '../../http/respond.js';
import { CollectionOverviews } from '../render/collection-overview.js';
import { OutputFiles } from '../render/output-files.js';
import type { Capability, RenderTarget } from '../render/render-target.js';
import { TileCache, tileCacheRoot } from '../render/tile-cache.js';
import type { CatalogStore, CollectionRecord } from '../store/catalog-store.js';
import { catalogStoreFor } from '../store/open-catalog-store.js';

/** What the ImageServer rendering operations share: the catalog and the files they write. */
export interface RenderDeps {
  context: AppContext;
  catalog: CatalogStore;
  outputs: OutputFiles;
  tiles: TileCache;
  overviews: CollectionOverviews;
}

export function createRenderDeps(context: AppContext): RenderDeps {
  return {
    context,
    catalog: catalogStoreFor(context.config),
    outputs: new OutputFiles(path.join(context.config.dataDir, 'output', 'arcgisoutput')),
    tiles: new TileCache(tileCacheRoot(context.config)),
    // Overviews live beside the tiles of the same catalog version, and go when it does.
    overviews: new CollectionOverviews(path.join(context.config.dataDir, 'tiles')),
  };
}

export type RenderHandler = (request: FastifyRequest, reply: FastifyReply, target: RenderTarget, deps: RenderDeps) => Promise<unknown>;

/** One operation below `…/ImageServer`: its path, the capabilities it needs, its handler. */
export interface RenderOperation {
  path: string;
  needs: Capability[];
  handle: RenderHandler;
}

export interface ServiceParams {
  folder?: string;
  name: string;
  rasterId?: string;
  level?: string;
  row?: string;
  col?: string;
}

function serviceUrl(deps: RenderDeps, request: FastifyRequest, target: RenderTarget): string {
  const folder = target.service.folder ? `${target.service.folder}/` : '';
  return `${publicBaseUrl(deps.context.config, request)}/rest/services/${folder}${target.service.name}/ImageServer`;
}

/** The directory page of an operation; with `spec`, a form of its parameters that submits to it. */
export function operationPage(deps: RenderDeps, request: FastifyRequest, target: RenderTarget, title: string, spec?: ParamSpec): HtmlPage {
  const url = serviceUrl(deps, request, target);
  const fields = spec ? [...formInputs(spec), { name: 'f', type: 'select' as const, options: ['html', 'json', 'pjson'] }] : undefined;
  return {
    title,
    breadcrumbs: [{ label: 'ImageServer', href: url }, { label: title }],
    ...(fields ? { form: { action: `${url}/${title}`, method: 'GET' as const, fields } } : {}),
  };
}

/**
 * An operation on an area or point of the image (`geometry`): its directory page has the form,
 * which the html format shows alone until a geometry is given; `run` answers the parameters read.
 */
export function geometryOperation<S extends ParamSpec<CollectionRecord>>(
  title: string,
  spec: S,
  run: (values: ParamValues<S>, request: FastifyRequest, target: RenderTarget, deps: RenderDeps) => Promise<unknown>,
): RenderOperation {
  return {
    path: `/${title}`,
    needs: ['Image'],
    async handle(request, reply, target, deps) {
      const params = request.arcgis.params;
      const page = operationPage(deps, request, target, title, spec);
      if (formatOf(request) === 'html' && !params.has('geometry')) return sendResource(request, reply, {}, page);
      const body = await run(readParams(spec, params, target.collection), request, target, deps);
      return sendResource(request, reply, body, page);
    },
  };
}
