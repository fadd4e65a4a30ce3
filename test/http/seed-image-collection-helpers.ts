import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { makeGeoTiffs } from '../fixtures/raster/make-geotiffs.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { registerFileShare, runJob } from './imagery-http.js';

/** Everything DeleteImage / DeleteImageCollection may change about a collection, to prove nothing changed. */
export interface CollectionState {
  rows: string[];
  files: string[];
  service: boolean;
  item: boolean;
}

export async function collectionState(server: TestServer, name: string): Promise<CollectionState> {
  const catalog = catalogStoreFor(server.context.config);
  const collection = await catalog.getCollection(name);
  const rows = collection ? (await catalog.queryItems(collection.id, {})).map((r) => r.name).sort() : [];
  const service = await server.context.stores.services.get('Hosted', name, 'ImageServer');
  const item = service?.itemId ? await server.context.stores.items.get(service.itemId) : undefined;
  const dir = path.join(server.dataDir, 'rasters', name);
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tif')).sort() : [];
  return { rows, files, service: !!service, item: !!item };
}

/** A by-value collection of the three fixture GeoTIFFs of a registered `/share`; returns its service URL and item id. */
export async function makeCollection(server: TestServer, token: string, name: string): Promise<{ url: string; itemId: string }> {
  const job = await runJob(
    server,
    'CreateImageCollection',
    { inputRasters: { uris: ['/share/utm-rgb.tif', '/share/wgs84-dem.tif', '/share/mercator-float.tif'] }, imageCollection: name, rasterType: 'Raster Dataset', context: { outSR: { wkid: 3857 } } },
    token,
  );
  if (job.jobStatus !== 'esriJobSucceeded') throw new Error(JSON.stringify(job.messages));
  return job.results.result.value as { url: string; itemId: string };
}

export const messagesOf = (job: { messages: Array<{ description: string }> }) => job.messages.map((m) => m.description).join(' | ');

/** A test server with the fixture GeoTIFFs in a folder registered as the file share `/share`. */
export async function startShareServer(): Promise<{ server: TestServer; token: string; share: string; close(): Promise<void> }> {
  const server = await startTestServer();
  const token = await server.token();
  const share = mkdtempSync(path.join(tmpdir(), 'tessera-share-'));
  await makeGeoTiffs(share);
  await registerFileShare(server, 'share', share, token);
  return {
    server,
    token,
    share,
    close: async () => {
      await server.close();
      rmSync(share, { recursive: true, force: true });
    },
  };
}
