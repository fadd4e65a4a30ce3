import { TaskError } from '../jobs/task.js';
import type { AddressPolicy } from '../net/public-address.js';
import { fetchInputUrl } from './public-url.js';

/** What an ImageServer's JSON says that is needed to ask for all of its pixels. */
interface RemoteServiceInfo {
  extent?: { xmin: number; ymin: number; xmax: number; ymax: number; spatialReference?: SpatialReferenceJson };
  spatialReference?: SpatialReferenceJson;
  pixelSizeX?: number;
  pixelSizeY?: number;
  maxImageWidth?: number;
  maxImageHeight?: number;
  error?: { message?: string };
}

interface SpatialReferenceJson {
  wkid?: number;
  latestWkid?: number;
  wkt?: string;
}

/**
 * A GDAL source for every pixel of an image service on another server: its `exportImage` at native
 * resolution as a GeoTIFF (`format=tiff`, `f=image`), read over HTTP with `/vsicurl/`. Views wider
 * than the service's `maxImageWidth`/`maxImageHeight` are asked at the largest size it serves.
 *
 * @param serviceUrl `https://host/arcgis/rest/services/…/ImageServer`
 * @param label the input as the client wrote it, for messages
 */
export async function remoteImageServiceSource(serviceUrl: string, label: string, policy: AddressPolicy): Promise<string> {
  const info = await readServiceInfo(serviceUrl, label, policy);
  const extent = info.extent;
  if (!extent || ![extent.xmin, extent.ymin, extent.xmax, extent.ymax].every(Number.isFinite)) {
    throw new TaskError(`Input '${label}': the image service does not report an extent.`);
  }
  const sr = info.spatialReference ?? extent.spatialReference ?? {};
  const srParam = sr.latestWkid ?? sr.wkid ?? (sr.wkt ? JSON.stringify({ wkt: sr.wkt }) : undefined);
  const width = nativeSize(extent.xmax - extent.xmin, info.pixelSizeX, info.maxImageWidth ?? 4000);
  const height = nativeSize(extent.ymax - extent.ymin, info.pixelSizeY, info.maxImageHeight ?? 4000);
  const query = new URLSearchParams({
    bbox: `${extent.xmin},${extent.ymin},${extent.xmax},${extent.ymax}`,
    size: `${width},${height}`,
    format: 'tiff',
    pixelType: 'UNKNOWN',
    noDataInterpretation: 'esriNoDataMatchAny',
    interpolation: 'RSP_NearestNeighbor',
    f: 'image',
  });
  if (srParam !== undefined) {
    query.set('bboxSR', String(srParam));
    query.set('imageSR', String(srParam));
  }
  return `/vsicurl/${serviceUrl}/exportImage?${query.toString()}`;
}

/** The service's JSON, read with every hop's address checked (fetchInputUrl). */
async function readServiceInfo(serviceUrl: string, label: string, policy: AddressPolicy): Promise<RemoteServiceInfo> {
  const response = await fetchInputUrl(new URL(`${serviceUrl}?f=json`), label, policy, { signal: AbortSignal.timeout(30_000) });
  let body: RemoteServiceInfo;
  try {
    body = JSON.parse(response.body.toString('utf8')) as RemoteServiceInfo;
  } catch {
    throw new TaskError(`Input '${label}' is not an image service (its answer to f=json is not JSON).`);
  }
  if (response.status >= 400 || body.error) {
    throw new TaskError(`Input '${label}': the image service answered an error${body.error?.message ? ` (${body.error.message})` : ''}.`);
  }
  return body;
}

function nativeSize(span: number, pixelSize: number | undefined, max: number): number {
  const cells = pixelSize && pixelSize > 0 ? Math.round(span / pixelSize) : max;
  return Math.max(1, Math.min(cells, max));
}
