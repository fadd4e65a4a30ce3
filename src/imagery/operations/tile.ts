import type { FastifyReply } from 'fastify';
import { renderTile } from '../render/render-tile.js';
import { collectionLods, isTileInRange, tileSchemeOf } from '../render/tile-scheme.js';
import type { RenderOperation, ServiceParams } from './render-deps.js';

/** `tile/<level>/<row>/<col>` (ArcGIS Image Tile): cached per catalog version, with an ETag. */
export const tileOperation: RenderOperation = {
  path: '/tile/:level/:row/:col',
  needs: ['Image'],
  async handle(request, reply, target, deps) {
    const { level: l, row: r, col: c } = request.params as ServiceParams;
    const [level, row, col] = [Number(l), Number(r), Number(c)];
    const lods = collectionLods(target.collection);
    if (!Number.isInteger(level) || level < 0 || level >= lods.length || !isTileInRange(level, row, col, tileSchemeOf(target.collection))) {
      return sendMissingTile(reply, `Level ${l}, row ${r}, column ${c} is not in the tiling scheme.`);
    }
    const collection = target.collection;
    const etag = `"${collection.id}-${collection.modified}"`;
    const tile = await deps.tiles.get(
      collection.id,
      collection.modified,
      level,
      row,
      col,
      (signal) => renderTile(deps.catalog, collection, level, row, col, deps.overviews, signal),
      request.arcgis.signal,
    );
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (!tile) {
      if (request.arcgis.params.bool('blankTile', false)) return reply.type('image/png').send(await blankTile());
      return sendMissingTile(reply, 'The tile has no data.');
    }
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(tile.contentType).send(tile.bytes);
  },
};

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
