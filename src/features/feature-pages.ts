import type { HtmlForm } from '../html/render-page.js';
import type { PageSpec } from '../http/respond.js';
import type { ResolvedService } from './service-access.js';
import type { LayerDefinition } from './service-definition.js';

/** Services Directory pages of a feature service, its layers and their query form. */
function crumbs(base: string, service: ResolvedService, layer?: LayerDefinition): PageSpec['breadcrumbs'] {
  const folder = service.record.folder;
  const list = [
    { label: 'Home', href: `${base}/rest/services` },
    { label: 'services', href: `${base}/rest/services` },
  ];
  if (folder) list.push({ label: folder, href: `${base}/rest/services/${folder}` });
  list.push({ label: `${service.record.name} (FeatureServer)`, href: serviceHref(base, service) });
  if (layer) list.push({ label: layer.name, href: `${serviceHref(base, service)}/${layer.id}` });
  return list;
}

export function serviceHref(base: string, service: ResolvedService): string {
  const folder = service.record.folder ? `${service.record.folder}/` : '';
  return `${base}/rest/services/${folder}${service.record.name}/FeatureServer`;
}

export function servicePage(base: string, service: ResolvedService): PageSpec {
  const href = serviceHref(base, service);
  return {
    title: `${service.record.name} (FeatureServer)`,
    breadcrumbs: crumbs(base, service),
    links: [
      ...service.definition.layers.map((l) => ({ label: `${l.name} (${l.id})`, href: `${href}/${l.id}`, note: 'layer' })),
      ...service.definition.tables.map((t) => ({ label: `${t.name} (${t.id})`, href: `${href}/${t.id}`, note: 'table' })),
    ],
    operations: [
      { label: 'All layers and tables', href: `${href}/layers` },
      { label: 'Apply Edits', href: `${href}/applyEdits` },
    ],
  };
}

export function layerPage(base: string, service: ResolvedService, layer: LayerDefinition): PageSpec {
  const href = `${serviceHref(base, service)}/${layer.id}`;
  return {
    title: `${layer.type}: ${layer.name} (ID: ${layer.id})`,
    breadcrumbs: crumbs(base, service, layer),
    // Tables have nothing to draw; layers are drawn from their own query endpoint.
    ...(layer.geometryType ? { map: { assets: `${base}/static`, kind: 'feature' as const, url: href, geometryType: layer.geometryType } } : {}),
    operations: ['query', 'addFeatures', 'updateFeatures', 'deleteFeatures', 'applyEdits'].map((op) => ({ label: op, href: `${href}/${op}` })),
  };
}

const QUERY_FIELDS: HtmlForm['fields'] = [
  { name: 'where', type: 'textarea', value: '1=1' },
  { name: 'objectIds' },
  { name: 'geometry', type: 'textarea' },
  { name: 'geometryType', type: 'select', options: ['esriGeometryEnvelope', 'esriGeometryPoint', 'esriGeometryMultipoint', 'esriGeometryPolyline', 'esriGeometryPolygon'] },
  { name: 'inSR' },
  {
    name: 'spatialRel',
    type: 'select',
    options: ['esriSpatialRelIntersects', 'esriSpatialRelContains', 'esriSpatialRelCrosses', 'esriSpatialRelEnvelopeIntersects', 'esriSpatialRelIndexIntersects', 'esriSpatialRelOverlaps', 'esriSpatialRelTouches', 'esriSpatialRelWithin'],
  },
  { name: 'outFields', value: '*' },
  { name: 'returnGeometry', type: 'select', options: ['true', 'false'] },
  { name: 'outSR' },
  { name: 'orderByFields' },
  { name: 'groupByFieldsForStatistics' },
  { name: 'outStatistics', type: 'textarea' },
  { name: 'resultOffset' },
  { name: 'resultRecordCount' },
  { name: 'returnIdsOnly', type: 'select', options: ['false', 'true'] },
  { name: 'returnCountOnly', type: 'select', options: ['false', 'true'] },
  { name: 'returnExtentOnly', type: 'select', options: ['false', 'true'] },
  { name: 'returnDistinctValues', type: 'select', options: ['false', 'true'] },
  { name: 'f', type: 'select', options: ['html', 'json', 'pjson', 'geojson', 'pbf'] },
];

/** The query form; `result` (when the form was submitted) is shown below it. */
export function queryPage(base: string, service: ResolvedService, layer: LayerDefinition, token: string | undefined, result?: unknown): PageSpec {
  const href = `${serviceHref(base, service)}/${layer.id}/query`;
  const fields = token ? [...QUERY_FIELDS, { name: 'token', type: 'hidden' as const, value: token }] : QUERY_FIELDS;
  return {
    title: `Query: ${layer.name} (ID: ${layer.id})`,
    breadcrumbs: crumbs(base, service, layer),
    form: { action: href, method: 'GET', submitLabel: 'Query (GET)', fields },
    json: result ?? {},
  };
}

/** A POST form for an edit operation. */
export function editPage(base: string, service: ResolvedService, layer: LayerDefinition | undefined, operation: string, names: string[], token: string | undefined): PageSpec {
  const action = `${serviceHref(base, service)}${layer ? `/${layer.id}` : ''}/${operation}`;
  const fields: HtmlForm['fields'] = names.map((name) => ({ name, type: 'textarea' }));
  fields.push({ name: 'f', type: 'select', options: ['html', 'json', 'pjson'] });
  if (token) fields.push({ name: 'token', type: 'hidden', value: token });
  return {
    title: `${operation}${layer ? `: ${layer.name} (ID: ${layer.id})` : ''}`,
    breadcrumbs: crumbs(base, service, layer),
    form: { action, method: 'POST', submitLabel: operation, fields },
    json: {},
  };
}
