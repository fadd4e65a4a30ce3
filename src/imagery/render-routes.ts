import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError } from '../errors.js';
import { computeOperations } from './operations/compute-histograms.js';
import { downloadOperation, fileOperation } from './operations/download.js';
import { exportImageOperation } from './operations/export-image.js';
import { getSamplesOperation } from './operations/get-samples.js';
import { identifyOperation } from './operations/identify.js';
import { rasterInfoOperations } from './operations/raster-info.js';
import { createRenderDeps, type RenderOperation, type ServiceParams } from './operations/render-deps.js';
import { statisticsOperations } from './operations/statistics.js';
import { tileOperation } from './operations/tile.js';
import { contentTypeOf } from './render/output-files.js';
import { loadRenderTarget } from './render/render-target.js';

/** The rendering operations of `…/ImageServer`, one module each in `operations/`. */
const OPERATIONS: RenderOperation[] = [
  exportImageOperation,
  identifyOperation,
  getSamplesOperation,
  ...statisticsOperations,
  ...computeOperations,
  tileOperation,
  ...rasterInfoOperations,
  downloadOperation,
  fileOperation,
];

/**
 * The rendering side of `…/ImageServer` (the ArcGIS Image Service operations): each operation's
 * handler gets the service and collection its URL names, checked for the capabilities it needs;
 * plus the short-lived files of exportImage's f=json answer.
 */
export async function imageRenderRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const deps = createRenderDeps(context);
  for (const prefix of ['/rest/services/:folder/:name/ImageServer', '/rest/services/:name/ImageServer']) {
    for (const operation of OPERATIONS) {
      app.route({
        method: ['GET', 'POST'],
        url: `${prefix}${operation.path}`,
        handler: async (request, reply) => {
          const { folder = '', name } = request.params as ServiceParams;
          const target = await loadRenderTarget(context.stores.services, deps.catalog, request.arcgis.principal, { folder, name }, operation.needs);
          return operation.handle(request, reply, target, deps);
        },
      });
    }
  }

  app.route({
    method: ['GET'],
    url: '/rest/directories/arcgisoutput/:folder/:service/:file',
    handler: async (request, reply) => {
      const { folder, service, file } = request.params as { folder: string; service: string; file: string };
      const found = await deps.outputs.find(folder, service, file);
      if (!found) throw new ApiError(404, 'File not found', ['The output file does not exist or has expired.']);
      return reply.type(contentTypeOf(found)).send(createReadStream(found));
    },
  });
}
