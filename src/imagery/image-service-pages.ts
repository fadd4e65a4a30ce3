import type { PageSpec } from '../http/respond.js';
import type { ServiceRecord } from '../store/service-store.js';

function crumbs(base: string, url: string, service: ServiceRecord, extra?: string): PageSpec['breadcrumbs'] {
  const root = `${base}/rest/services`;
  const list: NonNullable<PageSpec['breadcrumbs']> = [{ label: 'Home', href: root }, { label: 'services', href: root }];
  if (service.folder) list.push({ label: service.folder, href: `${root}/${encodeURIComponent(service.folder)}` });
  list.push(extra ? { label: `${service.name} (ImageServer)`, href: url } : { label: `${service.name} (ImageServer)` });
  if (extra) list.push({ label: extra });
  return list;
}

/** The Services Directory page of an image service: its info, with links to its operations. */
export function servicePage(base: string, url: string, service: ServiceRecord): PageSpec {
  return {
    title: `${service.name} (ImageServer)`,
    breadcrumbs: crumbs(base, url, service),
    operations: [
      { label: 'Query', href: `${url}/query` },
      { label: 'Key Properties', href: `${url}/keyProperties?f=json` },
    ],
  };
}

/** The catalog query form (and, after a query, its result). */
export function queryPage(url: string, service: ServiceRecord, result: unknown): PageSpec {
  const base = url.slice(0, url.indexOf('/rest/services'));
  const text = (name: string, value = '') => ({ name, value });
  return {
    title: `Query: ${service.name} (ImageServer)`,
    breadcrumbs: crumbs(base, url, service, 'query'),
    form: {
      action: `${url}/query`,
      method: 'GET',
      submitLabel: 'Query (GET)',
      fields: [
        text('where', '1=1'),
        text('objectIds'),
        text('geometry'),
        { name: 'geometryType', type: 'select', options: ['esriGeometryEnvelope', 'esriGeometryPoint', 'esriGeometryPolygon'] },
        text('inSR'),
        { name: 'spatialRel', type: 'select', options: ['esriSpatialRelIntersects', 'esriSpatialRelContains', 'esriSpatialRelWithin', 'esriSpatialRelEnvelopeIntersects'] },
        text('outFields', '*'),
        { name: 'returnGeometry', type: 'select', options: ['true', 'false'] },
        text('outSR'),
        { name: 'returnIdsOnly', type: 'select', options: ['false', 'true'] },
        { name: 'returnCountOnly', type: 'select', options: ['false', 'true'] },
        text('orderByFields'),
        text('resultOffset'),
        text('resultRecordCount'),
        { name: 'f', type: 'select', options: ['html', 'json', 'pjson', 'geojson'] },
      ],
    },
    json: result,
  };
}

export function catalogItemPage(url: string, service: ServiceRecord, objectId: number): PageSpec {
  const base = url.slice(0, url.indexOf('/rest/services'));
  return { title: `Raster ${objectId}: ${service.name} (ImageServer)`, breadcrumbs: crumbs(base, url, service, String(objectId)) };
}
