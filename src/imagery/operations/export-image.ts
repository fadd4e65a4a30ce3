import { ApiError } from '../../errors.js';
import { escapeHtml } from '../../html/render-page.js';
import { publicBaseUrl } from '../../http/base-url.js';
import { formatOf, sendResource } from '../../http/respond.js';
import { exportImage } from '../render/export-image.js';
import { EXPORT_PARAMS, readExportRequest } from '../render/export-params.js';
import { gridScale } from '../render/render-grid.js';
import { requestRuleRasters } from '../render/rule-rasters.js';
import { operationPage, type RenderOperation } from './render-deps.js';

/** `exportImage` (ArcGIS Export Image): the image itself (f=image) or a short-lived file and its extent. */
export const exportImageOperation: RenderOperation = {
  path: '/exportImage',
  needs: ['Image'],
  async handle(request, reply, target, deps) {
    const format = formatOf(request);
    const params = request.arcgis.params;
    const page = () => operationPage(deps, request, target, 'exportImage', EXPORT_PARAMS);
    if (format === 'html' && !params.has('bbox')) return sendResource(request, reply, {}, page());
    if (format === 'kmz') throw ApiError.invalidParameter("'f' parameter is invalid: kmz is not supported");
    const { image, grid } = await exportImage(deps.catalog, target.collection, readExportRequest(params), deps.overviews, request.arcgis.signal, requestRuleRasters(deps.context, deps.catalog, request));
    if (format === 'image') return reply.type(image.contentType).header('cache-control', 'no-cache').send(image.bytes);
    const relative = await deps.outputs.write(target.service.folder, `${target.service.name}_ImageServer`, image);
    const body = {
      href: `${publicBaseUrl(deps.context.config, request)}/rest/directories/arcgisoutput/${relative}`,
      width: grid.width,
      height: grid.height,
      extent: { ...grid.bbox, spatialReference: grid.srs.json },
      scale: gridScale(grid),
    };
    const preview = `<p><img src="${escapeHtml(body.href)}" alt="Exported image" width="${grid.width}" height="${grid.height}"></p>`;
    return sendResource(request, reply, body, { ...page(), body: preview });
  },
};
