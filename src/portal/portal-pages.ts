import type { HtmlForm } from '../html/render-page.js';
import type { PageSpec } from '../http/respond.js';

/** Page parts for the portal's `f=html` views: links to items, their data, folders and operations. */

type Link = { label: string; href: string; note?: string };
type ItemLike = { id: string; title: string; type: string; owner: string; name?: string | null };
type FolderLike = { id: string; title: string };

const enc = encodeURIComponent;

function crumbs(portal: string, ...rest: Array<{ label: string; href?: string }>) {
  return [{ label: 'Home', href: `${portal}?f=html` }, ...rest];
}

/** Hidden fields that keep a form's answer readable and its caller signed in. */
function carry(token: string | undefined): HtmlForm['fields'] {
  return [{ name: 'f', type: 'hidden', value: 'pjson' }, ...(token ? [{ name: 'token', type: 'hidden' as const, value: token }] : [])];
}

export function portalRootPage(portal: string): PageSpec {
  return {
    title: 'Portal Directory',
    breadcrumbs: crumbs(portal),
    links: [
      { label: 'portals/self', href: `${portal}/portals/self?f=html` },
      { label: 'community/self', href: `${portal}/community/self?f=html` },
      { label: 'search', href: `${portal}/search?f=html` },
    ],
    operations: [{ label: 'Generate Token', href: `${portal}/generateToken` }],
  };
}

export function itemLinks(portal: string, items: ItemLike[]): Link[] {
  return items.flatMap((item) => [
    { label: item.title, href: `${portal}/content/items/${item.id}?f=html`, note: `${item.type}, ${item.owner}` },
    ...(item.name ? [{ label: `${item.title}: data`, href: `${portal}/content/items/${item.id}/data`, note: item.name }] : []),
  ]);
}

/** A link to the next page of a listing, keeping the other query parameters. */
function nextPageLink(requestUrl: string, nextStart: number): Link[] {
  if (nextStart === -1) return [];
  const url = new URL(requestUrl, 'http://x');
  url.searchParams.set('start', String(nextStart));
  return [{ label: 'Next page', href: `${url.pathname}${url.search}` }];
}

export function userContentPage(
  portal: string,
  requestUrl: string,
  folder: FolderLike | null,
  body: { username: string; total: number; start: number; num: number; nextStart: number; items: ItemLike[]; folders: FolderLike[] },
): PageSpec {
  const { username } = body;
  const userUrl = `${portal}/content/users/${enc(username)}`;
  const here = folder ? `${userUrl}/${folder.id}` : userUrl;
  return {
    json: { username, total: body.total, start: body.start, num: body.num, nextStart: body.nextStart },
    title: folder ? `Folder: ${folder.title}` : `Content of ${username}`,
    breadcrumbs: crumbs(portal, { label: username, href: `${userUrl}?f=html` }, ...(folder ? [{ label: folder.title }] : [])),
    links: [
      ...body.folders.map((f) => ({ label: f.title, href: `${userUrl}/${f.id}?f=html`, note: 'folder' })),
      ...itemLinks(portal, body.items),
      ...nextPageLink(requestUrl, body.nextStart),
    ],
    operations: [
      { label: 'Add Item', href: `${here}/addItem?f=html` },
      ...(folder ? [{ label: 'Delete Folder', href: `${here}/delete?f=html` }] : [{ label: 'Create Folder', href: `${userUrl}/createFolder?f=html` }]),
    ],
  };
}

export function itemPage(portal: string, item: ItemLike, canManage: boolean): PageSpec {
  const manage = `${portal}/content/users/${enc(item.owner)}/items/${item.id}`;
  return {
    title: `Item: ${item.title}`,
    breadcrumbs: crumbs(portal, { label: item.owner, href: `${portal}/content/users/${enc(item.owner)}?f=html` }, { label: item.title }),
    links: [{ label: 'Data', href: `${portal}/content/items/${item.id}/data`, note: item.name ?? undefined }],
    operations: canManage
      ? [
          { label: 'Update', href: `${manage}/update?f=html` },
          { label: 'Delete', href: `${manage}/delete?f=html` },
        ]
      : [],
  };
}

export function searchPage(portal: string, requestUrl: string, body: { query: string; total: number; nextStart: number }, results: ItemLike[]): PageSpec {
  const q = body.query;
  return {
    title: 'Search',
    json: { query: q, total: body.total, nextStart: body.nextStart },
    breadcrumbs: crumbs(portal, { label: 'search' }),
    form: {
      action: `${portal}/search`,
      method: 'GET',
      submitLabel: 'Search',
      fields: [
        { name: 'q', label: 'Query', value: q },
        { name: 'start', label: 'Start', value: '1' },
        { name: 'num', label: 'Number', value: '10' },
        { name: 'sortField', label: 'Sort field', type: 'select', options: ['', 'title', 'created', 'modified', 'type', 'owner'] },
        { name: 'sortOrder', label: 'Sort order', type: 'select', options: ['asc', 'desc'] },
        { name: 'f', type: 'select', options: ['html', 'pjson', 'json'], value: 'html' },
      ],
    },
    links: [...itemLinks(portal, results), ...nextPageLink(requestUrl, body.nextStart)],
  };
}

/** A form page for a POST operation (addItem, createFolder, update, delete). */
export function operationPage(
  portal: string,
  title: string,
  action: string,
  token: string | undefined,
  fields: HtmlForm['fields'],
  multipart = false,
): PageSpec {
  return {
    title,
    breadcrumbs: crumbs(portal, { label: title }),
    form: { action, method: 'POST', multipart, submitLabel: title, fields: [...fields, ...carry(token)] },
    json: {},
  };
}

export const ITEM_FORM_FIELDS: HtmlForm['fields'] = [
  { name: 'title', label: 'Title' },
  { name: 'type', label: 'Type' },
  { name: 'tags', label: 'Tags' },
  { name: 'snippet', label: 'Summary' },
  { name: 'description', label: 'Description', type: 'textarea' },
  { name: 'url', label: 'URL' },
  { name: 'text', label: 'Text', type: 'textarea' },
  { name: 'file', label: 'File', type: 'file' },
  { name: 'access', label: 'Access', type: 'select', options: ['', 'private', 'org', 'public'] },
];
