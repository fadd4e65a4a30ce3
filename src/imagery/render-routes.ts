import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { escapeHtml } from '../html/render-page.js';
import { publicBaseUrl } from '../http/base-url.js';
import { ApiError } from '../errors.js';
import { formatOf, sendResource } from '../http/respond.js';
import { CollectionOverviews } from './render/collection-overview.js';
import { areaOf, collectionSummary, summarizeArea } from './render/collection-statistics.js';
import { findRasterFile, listRasterFiles } from './render/download-files.js';
import { exportImage } from './render/export-image.js';
import { readExportRequest } from './render/export-params.js';
import { centreOf, readCollectionGeometry } from './render/geometry-params.js';
import { getSamples } from './render/get-samples.js';
import { identify } from './render/identify.js';
import { parseMosaicRule } from './render/mosaic-rule.js';
import { contentTypeOf, OutputFiles } from './render/output-files.js';
import { parseRenderingRule } from './render/raster-functions/rendering-rule.js';
import { rasterItemInfo, rasterKeyProperties } from './render/raster-item-info.js';
import { gridScale } from './render/render-grid.js';
import { loadRenderTarget, type Capability, type RenderTarget } from './render/render-target.js';
import { renderTile } from './render/render-tile.js';
import { ruleOutput } from './render/rule-output.js';
import { areaPolygon, catalogQueryFor } from './render/select-items.js';
import { TileCache, tileCacheRoot } from './render/tile-cache.js';
import { collectionLods, isTileInRange, tileSchemeOf } from './render/tile-scheme.js';
import type { CatalogItem } from './store/catalog-store.js';
import { catalogStoreFor } from './store/open-catalog-store.js';

interface ServiceParams {
  folder?: string;
  name: string;
  rasterId?: string;
  level?: string;
  row?: string;
  col?: string;
}

type Handler = (request: FastifyRequest, reply: FastifyReply, target: RenderTarget) => Promise<unknown>;

/**
 * The rendering side of `…/ImageServer` (the ArcGIS Image Service operations): exportImage and the
 * short-lived files of its f=json answer, identify, getSamples, statistics and histograms, tiles,
 * raster info, download and file. Decodes parameters, calls `render/`, encodes the answer.
 */
export async function imageRenderRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const catalog = catalogStoreFor(context.config);
  const outputs = new OutputFiles(path.join(context.config.dataDir, 'output', 'arcgisoutput'));
  const tiles = new TileCache(tileCacheRoot(context.config));
  // Overviews live beside the tiles of the same catalog version, and go when it does.
  const overviews = new CollectionOverviews(path.join(context.config.dataDir, 'tiles'));
  const methods: Array<'GET' | 'POST'> = ['GET', 'POST'];

  const operation = (needs: Capability[], handler: Handler) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { folder = '', name } = request.params as ServiceParams;
    const target = await loadRenderTarget(context.stores.services, catalog, request.arcgis.principal, { folder, name }, needs);
    return handler(request, reply, target);
  };
  const serviceUrl = (request: FastifyRequest, target: RenderTarget) =>
    `${publicBaseUrl(context.config, request)}/rest/services/${target.service.folder ? `${target.service.folder}/` : ''}${target.service.name}/ImageServer`;
  const page = (request: FastifyRequest, target: RenderTarget, title: string, form?: Parameters<typeof operationPage>[2]) =>
    operationPage(serviceUrl(request, target), title, form);

  const exportImageHandler: Handler = async (request, reply, target) => {
    const format = formatOf(request);
    const params = request.arcgis.params;
    if (format === 'html' && !params.has('bbox')) return sendResource(request, reply, {}, page(request, target, 'exportImage', EXPORT_FIELDS));
    if (format === 'kmz') throw ApiError.invalidParameter("'f' parameter is invalid: kmz is not supported");
    const { image, grid } = await exportImage(catalog, target.collection, readExportRequest(params), overviews);
    if (format === 'image') return reply.type(image.contentType).header('cache-control', 'no-cache').send(image.bytes);
    const relative = await outputs.write(target.service.folder, `${target.service.name}_ImageServer`, image);
    const body = {
      href: `${publicBaseUrl(context.config, request)}/rest/directories/arcgisoutput/${relative}`,
      width: grid.width,
      height: grid.height,
      extent: { ...grid.bbox, spatialReference: grid.srs.json },
      scale: gridScale(grid),
    };
    const preview = `<p><img src="${escapeHtml(body.href)}" alt="Exported image" width="${grid.width}" height="${grid.height}"></p>`;
    return sendResource(request, reply, body, { ...page(request, target, 'exportImage', EXPORT_FIELDS), body: preview });
  };

  const identifyHandler: Handler = async (request, reply, target) => {
    const params = request.arcgis.params;
    if (formatOf(request) === 'html' && !params.has('geometry')) return sendResource(request, reply, {}, page(request, target, 'identify', IDENTIFY_FIELDS));
    const input = readCollectionGeometry(params, target.collection);
    const point = centreOf(input.geometry);
    const location = centreOf(input.original);
    if (!point || !location) throw ApiError.invalidParameter("'geometry' parameter is invalid: it is empty");
    const rules = params.json<unknown[]>('renderingRules');
    const body = await identify(catalog, target.collection, { x: point[0], y: point[1], rule: parseMosaicRule(params.json('mosaicRule')) }, {
      renderingRule: parseRenderingRule(params.json('renderingRule') ?? (Array.isArray(rules) ? rules[0] : undefined)),
      returnGeometry: params.bool('returnGeometry', false),
      returnCatalogItems: params.bool('returnCatalogItems', true),
      returnPixelValues: params.bool('returnPixelValues', true),
      maxItemCount: params.int('maxItemCount'),
      outSrs: input.clientSrs,
      location: { x: location[0], y: location[1] },
    });
    return sendResource(request, reply, body, page(request, target, 'identify', IDENTIFY_FIELDS));
  };

  const getSamplesHandler: Handler = async (request, reply, target) => {
    const params = request.arcgis.params;
    if (formatOf(request) === 'html' && !params.has('geometry')) return sendResource(request, reply, {}, page(request, target, 'getSamples', SAMPLES_FIELDS));
    const input = readCollectionGeometry(params, target.collection);
    const body = await getSamples(catalog, target.collection, {
      geometry: input.geometry,
      sampleDistance: params.number('sampleDistance'),
      sampleCount: params.int('sampleCount'),
      rule: parseMosaicRule(params.json('mosaicRule')),
      returnFirstValueOnly: params.bool('returnFirstValueOnly', true),
      outFields: params.list('outFields') ?? [],
      toClient: input.toClient,
      clientSr: input.clientSrs.json,
    });
    return sendResource(request, reply, body, page(request, target, 'getSamples', SAMPLES_FIELDS));
  };

  const statisticsHandler = (which: 'statistics' | 'histograms'): Handler => async (request, reply, target) => {
    // With a rule, the figures describe the rule's output (the SDK stretches by them after a switch).
    const rule = parseRenderingRule(request.arcgis.params.json('renderingRule'));
    const summary = rule ? await ruleOutput(catalog, target.collection, rule) : await collectionSummary(catalog, target.collection, overviews);
    const body = which === 'statistics' ? { statistics: summary?.statistics ?? [] } : { histograms: summary?.histograms ?? [] };
    return sendResource(request, reply, body, page(request, target, which));
  };

  const computeHandler = (histogramsOnly: boolean): Handler => async (request, reply, target) => {
    const params = request.arcgis.params;
    const title = histogramsOnly ? 'computeHistograms' : 'computeStatisticsHistograms';
    if (formatOf(request) === 'html' && !params.has('geometry')) return sendResource(request, reply, {}, page(request, target, title, COMPUTE_FIELDS));
    const area = areaOf(readCollectionGeometry(params, target.collection).geometry);
    if (!area) throw ApiError.invalidParameter("'geometry' parameter is invalid: an envelope or polygon with an area is required");
    const pixelSize = params.jsonOrText('pixelSize');
    const summary = await summarizeArea(catalog, target.collection, area.box, {
      rule: parseMosaicRule(params.json('mosaicRule')),
      renderingRule: parseRenderingRule(params.json('renderingRule')),
      pixelSize: typeof pixelSize === 'object' && pixelSize ? Number((pixelSize as { x?: unknown }).x) || undefined : Number(pixelSize) || undefined,
      rings: area.rings,
    });
    const body = histogramsOnly ? { histograms: summary.histograms } : summary;
    return sendResource(request, reply, body, page(request, target, title, COMPUTE_FIELDS));
  };

  const tileHandler: Handler = async (request, reply, target) => {
    const { level: l, row: r, col: c } = request.params as ServiceParams;
    const [level, row, col] = [Number(l), Number(r), Number(c)];
    const lods = collectionLods(target.collection);
    const scheme = tileSchemeOf(target.collection);
    if (!Number.isInteger(level) || level < 0 || level >= lods.length || !isTileInRange(level, row, col, scheme)) {
      return sendMissingTile(reply, `Level ${l}, row ${r}, column ${c} is not in the tiling scheme.`);
    }
    const collection = target.collection;
    const etag = `"${collection.id}-${collection.modified}-${scheme.key}"`;
    const tile = await tiles.get(collection.id, collection.modified, scheme.key, level, row, col, () => renderTile(catalog, collection, level, row, col, overviews));
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (!tile) {
      if (request.arcgis.params.bool('blankTile', false)) return reply.type('image/png').send(await blankTile());
      return sendMissingTile(reply, 'The tile has no data.');
    }
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(tile.contentType).send(tile.bytes);
  };

  const rasterItem = async (target: RenderTarget, request: FastifyRequest): Promise<CatalogItem> => {
    const raw = (request.params as ServiceParams).rasterId ?? '';
    if (!/^\d+$/.test(raw)) throw ApiError.invalidUrl();
    const [item] = await catalog.queryItems(target.collection.id, { objectIds: [Number(raw)], returnGeometry: false });
    if (!item) throw new ApiError(404, 'Raster not found', [`Raster ${raw} does not exist in '${target.service.name}'.`]);
    return item;
  };

  const rasterInfoHandler = (part: 'info' | 'keyProperties' | 'histograms'): Handler => async (request, reply, target) => {
    const item = await rasterItem(target, request);
    let body: unknown;
    if (part === 'info') body = rasterItemInfo(item, target.collection);
    else if (part === 'keyProperties') body = rasterKeyProperties(item, target.collection);
    else {
      const rule = parseMosaicRule({ mosaicMethod: 'esriMosaicLockRaster', lockRasterIds: [item.objectId] });
      body = { histograms: (await summarizeArea(catalog, target.collection, item.bbox, { rule, renderingRule: null })).histograms };
    }
    return sendResource(request, reply, body, page(request, target, `Raster ${item.objectId} ${part}`));
  };

  const downloadHandler: Handler = async (request, reply, target) => {
    const params = request.arcgis.params;
    if (formatOf(request) === 'html' && !params.has('rasterIds') && !params.has('geometry')) return sendResource(request, reply, {}, page(request, target, 'download', DOWNLOAD_FIELDS));
    const format = params.string('format');
    if (format && !/^(tiff?|source)$/i.test(format)) throw ApiError.invalidParameter(`'format' parameter is invalid: only the source format (or TIFF for GeoTIFF sources) can be downloaded`);
    const ids = params.list('rasterIds')?.map(Number);
    if (ids?.some((id) => !Number.isInteger(id))) throw ApiError.invalidParameter("'rasterIds' parameter is invalid");
    let items: CatalogItem[];
    if (ids) items = await catalog.queryItems(target.collection.id, { objectIds: ids });
    else if (params.has('geometry')) {
      const area = areaOf(readCollectionGeometry(params, target.collection).geometry);
      if (!area) throw ApiError.invalidParameter("'geometry' parameter is invalid");
      items = await catalog.queryItems(target.collection.id, catalogQueryFor(target.collection, parseMosaicRule(undefined), areaPolygon(area.box), catalog.dialect));
    } else throw ApiError.invalidParameter("'rasterIds' or 'geometry' parameter is required");
    const files = await listRasterFiles(items, target.collection);
    const body = { rasterFiles: files.map(({ id, size, rasterIds }) => ({ id, size, rasterIds })) };
    return sendResource(request, reply, body, page(request, target, 'download', DOWNLOAD_FIELDS));
  };

  const fileHandler: Handler = async (request, reply, target) => {
    const params = request.arcgis.params;
    const id = params.required('id');
    const rasterId = params.int('rasterId') ?? Number(/\/(\d+)\//.exec(id)?.[1]);
    if (!Number.isInteger(rasterId)) throw ApiError.invalidParameter("'rasterId' parameter is required");
    const [item] = await catalog.queryItems(target.collection.id, { objectIds: [rasterId] });
    const file = item ? await findRasterFile(item, target.collection, id) : null;
    if (!file) throw new ApiError(404, 'File not found', [`'${id}' is not a file of raster ${rasterId}.`]);
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${path.basename(file).replace(/"/g, '')}"`).send(createReadStream(file));
  };

  for (const prefix of ['/rest/services/:folder/:name/ImageServer', '/rest/services/:name/ImageServer']) {
    const route = (url: string, needs: Capability[], handler: Handler) => app.route({ method: methods, url: `${prefix}${url}`, handler: operation(needs, handler) });
    route('/exportImage', ['Image'], exportImageHandler);
    route('/identify', ['Image'], identifyHandler);
    route('/getSamples', ['Image'], getSamplesHandler);
    route('/statistics', ['Metadata'], statisticsHandler('statistics'));
    route('/histograms', ['Metadata'], statisticsHandler('histograms'));
    route('/computeStatisticsHistograms', ['Image'], computeHandler(false));
    route('/computeHistograms', ['Image'], computeHandler(true));
    route('/tile/:level/:row/:col', ['Image'], tileHandler);
    route('/:rasterId/info', ['Catalog'], rasterInfoHandler('info'));
    route('/:rasterId/info/keyProperties', ['Catalog'], rasterInfoHandler('keyProperties'));
    route('/:rasterId/info/histograms', ['Catalog'], rasterInfoHandler('histograms'));
    route('/download', ['Catalog', 'Download'], downloadHandler);
    route('/file', ['Catalog', 'Download'], fileHandler);
  }

  app.route({
    method: ['GET'],
    url: '/rest/directories/arcgisoutput/:folder/:service/:file',
    handler: async (request, reply) => {
      const { folder, service, file } = request.params as { folder: string; service: string; file: string };
      const found = await outputs.find(folder, service, file);
      if (!found) throw new ApiError(404, 'File not found', ['The output file does not exist or has expired.']);
      return reply.type(contentTypeOf(found)).send(createReadStream(found));
    },
  });
}

/**
 * A missing tile is a real HTTP 404 whatever the error-status setting (ArcGIS answers tiles that
 * way), so tile clients (QGIS, the SDK) stop asking and draw nothing there; the body is the usual
 * envelope for whoever reads it.
 */
function sendMissingTile(reply: FastifyReply, detail: string): FastifyReply {
  const body = { error: { code: 404, message: 'Tile not found', details: [detail] } };
  return reply.code(404).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

let blank: Promise<Buffer> | undefined;
function blankTile(): Promise<Buffer> {
  blank ??= import('sharp').then(({ default: sharp }) =>
    sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer(),
  );
  return blank;
}

type FormField = { name: string; type?: 'text' | 'textarea' | 'select'; value?: string; options?: string[] };

function operationPage(url: string, title: string, fields?: FormField[]) {
  return {
    title,
    breadcrumbs: [{ label: 'ImageServer', href: url }, { label: title }],
    ...(fields ? { form: { action: `${url}/${title}`, method: 'GET' as const, fields: [...fields, { name: 'f', type: 'select' as const, options: ['html', 'json', 'pjson'] }] } } : {}),
  };
}

const RULE_FIELDS: FormField[] = [{ name: 'mosaicRule', type: 'textarea' }, { name: 'renderingRule', type: 'textarea' }];
const EXPORT_FIELDS: FormField[] = [
  { name: 'bbox' },
  { name: 'bboxSR' },
  { name: 'size', value: '400,400' },
  { name: 'imageSR' },
  { name: 'format', type: 'select', options: ['jpgpng', 'png', 'png8', 'png24', 'png32', 'jpg', 'gif', 'bmp', 'tiff', 'lerc', 'bip', 'bsq'] },
  { name: 'pixelType', type: 'select', options: ['UNKNOWN', 'U8', 'U16', 'S16', 'U32', 'S32', 'F32', 'F64'] },
  { name: 'noData' },
  { name: 'interpolation', type: 'select', options: ['RSP_BilinearInterpolation', 'RSP_NearestNeighbor', 'RSP_CubicConvolution', 'RSP_Majority'] },
  { name: 'compressionQuality' },
  { name: 'bandIds' },
  ...RULE_FIELDS,
];
const IDENTIFY_FIELDS: FormField[] = [{ name: 'geometry', type: 'textarea' }, { name: 'geometryType' }, ...RULE_FIELDS, { name: 'returnGeometry' }, { name: 'returnCatalogItems' }, { name: 'maxItemCount' }];
const SAMPLES_FIELDS: FormField[] = [{ name: 'geometry', type: 'textarea' }, { name: 'geometryType' }, { name: 'sampleDistance' }, { name: 'sampleCount' }, { name: 'mosaicRule', type: 'textarea' }, { name: 'returnFirstValueOnly' }, { name: 'outFields' }];
const COMPUTE_FIELDS: FormField[] = [{ name: 'geometry', type: 'textarea' }, { name: 'geometryType' }, ...RULE_FIELDS, { name: 'pixelSize' }];
const DOWNLOAD_FIELDS: FormField[] = [{ name: 'rasterIds' }, { name: 'geometry', type: 'textarea' }, { name: 'geometryType' }, { name: 'format' }];
