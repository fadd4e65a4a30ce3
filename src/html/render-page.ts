import type { MapPreview } from './map-preview.js';

/** Parts of a Services Directory page; every resource renders through this one mechanism. */
export interface HtmlPage {
  title: string;
  /** Path from the root, e.g. Home > services > Hosted. */
  breadcrumbs?: Array<{ label: string; href?: string }>;
  /** Extra HTML, already escaped with `escapeHtml` by the caller. */
  body?: string;
  /** Child resources (folders, services, layers, items). */
  links?: Array<{ label: string; href: string; note?: string }>;
  /** Supported operations of the resource. */
  operations?: Array<{ label: string; href: string }>;
  /** A form that submits to an operation, as the ArcGIS directory offers. */
  form?: HtmlForm;
  /** The resource's JSON, shown as a readable definition list. */
  json?: unknown;
  /** A live map of the layer or image service, below the title. */
  map?: MapPreview;
  /** Reload the page every so many seconds (a job that is still running). */
  refreshSeconds?: number;
}

export interface HtmlForm {
  action: string;
  method: 'GET' | 'POST';
  multipart?: boolean;
  submitLabel?: string;
  fields: Array<{
    name: string;
    label?: string;
    type?: 'text' | 'textarea' | 'password' | 'file' | 'select' | 'hidden';
    value?: string;
    options?: string[];
  }>;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}
header{background:#2b4f7e;color:#fff;padding:.6em 1em}header a{color:#fff}
main{padding:1em 1.5em;max-width:72em}nav.crumbs{margin:.2em 0 1em;color:#555}
dl{margin:.2em 0 .2em 1em;display:grid;grid-template-columns:max-content minmax(0,1fr);column-gap:.5em}
dt{font-weight:600;grid-column:1}dd{grid-column:2;margin:0 0 .15em 0;overflow-wrap:anywhere}ul{margin:.2em 0}table.form td{padding:.2em .5em;vertical-align:top}
textarea{width:36em;height:4em}input[type=text],input[type=password],select{width:36em}
h2{font-size:1.1em;border-bottom:1px solid #ccc;margin-top:1.4em}`;

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderPage(page: HtmlPage): string {
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title><link rel="icon" href="data:,">`,
    page.refreshSeconds ? `<meta http-equiv="refresh" content="${page.refreshSeconds}">` : '',
    `<style>${STYLE}</style></head><body><header><strong>Tessera Services Directory</strong></header><main>`,
  ];
  if (page.breadcrumbs?.length) parts.push(renderBreadcrumbs(page.breadcrumbs));
  parts.push(`<h1>${escapeHtml(page.title)}</h1>`, '<p><a href="?f=pjson">JSON</a></p>');
  if (page.map) parts.push(renderMapPreview(page.map));
  if (page.body) parts.push(page.body);
  if (page.links?.length) parts.push('<h2>Resources</h2>', renderLinks(page.links));
  if (page.operations?.length) parts.push('<h2>Supported Operations</h2>', renderLinks(page.operations));
  if (page.form) parts.push('<h2>Operation</h2>', renderForm(page.form));
  if (page.json !== undefined) parts.push('<h2>Details</h2>', renderValue(page.json));
  parts.push('</main></body></html>');
  return parts.join('\n');
}

function renderBreadcrumbs(crumbs: NonNullable<HtmlPage['breadcrumbs']>): string {
  const items = crumbs.map((c) => (c.href ? `<a href="${escapeHtml(c.href)}">${escapeHtml(c.label)}</a>` : escapeHtml(c.label)));
  return `<nav class="crumbs">${items.join(' &gt; ')}</nav>`;
}

function renderLinks(links: NonNullable<HtmlPage['links']>): string {
  const items = links.map(
    (l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>${l.note ? ` (${escapeHtml(l.note)})` : ''}</li>`,
  );
  return `<ul>${items.join('')}</ul>`;
}

function renderForm(form: HtmlForm): string {
  const enctype = form.multipart ? ' enctype="multipart/form-data"' : '';
  const rows = form.fields.map((field) => {
    if (field.type === 'hidden') return `<input type="hidden" name="${escapeHtml(field.name)}" value="${escapeHtml(field.value ?? '')}">`;
    return `<tr><td><label for="${escapeHtml(field.name)}">${escapeHtml(field.label ?? field.name)}:</label></td><td>${renderInput(field)}</td></tr>`;
  });
  return `<form action="${escapeHtml(form.action)}" method="${form.method}"${enctype}><table class="form">${rows.join('')}
<tr><td></td><td><button type="submit">${escapeHtml(form.submitLabel ?? 'Submit')}</button></td></tr></table></form>`;
}

function renderInput(field: HtmlForm['fields'][number]): string {
  const name = escapeHtml(field.name);
  const value = escapeHtml(field.value ?? '');
  if (field.type === 'textarea') return `<textarea id="${name}" name="${name}">${value}</textarea>`;
  if (field.type === 'select') {
    const options = (field.options ?? []).map(
      (o) => `<option${o === field.value ? ' selected' : ''}>${escapeHtml(o)}</option>`,
    );
    return `<select id="${name}" name="${name}">${options.join('')}</select>`;
  }
  return `<input id="${name}" type="${field.type ?? 'text'}" name="${name}" value="${value}">`;
}

/** Any JSON value as nested definition lists; URLs become links. */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '<em>null</em>';
  if (typeof value === 'string') {
    return /^https?:\/\//.test(value) ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
  }
  if (typeof value !== 'object') return escapeHtml(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null)) return escapeHtml(value.join(', '));
    const shown = value.slice(0, 200).map((v) => `<li>${renderValue(v)}</li>`);
    if (value.length > 200) shown.push(`<li>… ${value.length - 200} more</li>`);
    return `<ul>${shown.join('')}</ul>`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `<dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}:</dt><dd>${renderValue(v)}</dd>`).join('')}</dl>`;
}

/** The map element and the scripts that draw it (see MapPreview). */
function renderMapPreview(map: MapPreview): string {
  const data = [`data-kind="${map.kind}"`, `data-url="${escapeHtml(map.url)}"`];
  if (map.bounds) data.push(`data-bounds="${escapeHtml(JSON.stringify(map.bounds))}"`);
  if (map.geometryType) data.push(`data-geometry-type="${escapeHtml(map.geometryType)}"`);
  if (map.renderingRule) data.push(`data-rendering-rule="${escapeHtml(JSON.stringify(map.renderingRule))}"`);
  const assets = escapeHtml(map.assets);
  return [
    `<link rel="stylesheet" href="${assets}/leaflet/leaflet.css"><link rel="stylesheet" href="${assets}/map-preview.css">`,
    `<div id="map-preview" ${data.join(' ')}></div>`,
    `<script src="${assets}/leaflet/leaflet.js"></script><script src="${assets}/esri-leaflet/esri-leaflet.js"></script>`,
    `<script src="${assets}/map-preview.js"></script>`,
  ].join('\n');
}
