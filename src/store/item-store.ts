export type ItemAccess = 'private' | 'shared' | 'org' | 'public';

export interface ItemRecord {
  id: string;
  owner: string;
  folderId: string | null;
  title: string;
  type: string;
  typeKeywords: string[];
  description: string;
  snippet: string;
  tags: string[];
  url: string | null;
  fileName: string | null;
  size: number;
  textData: string | null;
  access: ItemAccess;
  extent: number[][] | null;
  spatialReference: string | null;
  properties: Record<string, unknown> | null;
  created: number;
  modified: number;
}

export interface FolderRecord {
  id: string;
  owner: string;
  title: string;
  created: number;
}

/**
 * A boolean filter over items, the store-side form of a portal search (`q`).
 * Leaf semantics: `id`, `owner` equal (case-insensitive for owner); `type` equal when `exact`, else
 * contained; `title`, `description`, `snippet` contained; `tags`, `typeKeywords` one element equal;
 * `text` contained in any of title, tags, snippet, description, type, typeKeywords. A `*` in a
 * value is a wildcard. `{ all: [] }` matches everything, `{ any: [] }` nothing.
 *
 * @example { all: [{ field: 'owner', value: 'ana' }, { not: { field: 'type', value: 'Web Map', exact: true } }] }
 */
export type ItemFilter =
  | { all: ItemFilter[] }
  | { any: ItemFilter[] }
  | { not: ItemFilter }
  | { field: ItemFilterField; value: string; exact?: boolean };

export type ItemFilterField = 'id' | 'owner' | 'title' | 'type' | 'tags' | 'typeKeywords' | 'description' | 'snippet' | 'access' | 'text';

export interface ItemQuery {
  owner?: string;
  /** `null` = the user's root folder; undefined = any folder. */
  folderId?: string | null;
  types?: string[];
  /** Words matched against title, tags, description (case-insensitive, all must match). */
  text?: string[];
  title?: string;
  ids?: string[];
  /** A boolean filter on top of the fields above (all must hold). */
  filter?: ItemFilter;
  /** Items the caller may see: its own, plus these access levels of others. */
  visibleTo?: { username: string | null; isAdmin: boolean };
  sortField?: 'title' | 'created' | 'modified' | 'type' | 'owner';
  sortOrder?: 'asc' | 'desc';
  start: number; // 1-based as in the portal API
  num: number;
}

/** Portal items and folders. */
export interface ItemStore {
  get(id: string): Promise<ItemRecord | undefined>;
  create(item: ItemRecord): Promise<void>;
  update(id: string, patch: Partial<Omit<ItemRecord, 'id' | 'created'>>): Promise<void>;
  delete(id: string): Promise<void>;
  query(query: ItemQuery): Promise<{ total: number; items: ItemRecord[] }>;
  createFolder(folder: FolderRecord): Promise<void>;
  getFolder(id: string): Promise<FolderRecord | undefined>;
  findFolder(owner: string, idOrTitle: string): Promise<FolderRecord | undefined>;
  listFolders(owner: string): Promise<FolderRecord[]>;
  deleteFolder(id: string): Promise<void>;
}
