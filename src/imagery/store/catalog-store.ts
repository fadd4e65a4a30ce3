import type { CatalogField } from '../catalog-fields.js';

/** What the catalog keeps about one image's pixels: enough to render it without opening it first. */
export interface ImageRaster {
  width: number;
  height: number;
  bandCount: number;
  /** GDAL data type name (`Byte`, `UInt16`, `Float32`…). */
  dataType: string;
  /** ArcGIS pixel type (`U8`, `U16`, `F32`…). */
  pixelType: string;
  /** GDAL order: [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight]; null when placed by GCPs/RPCs. */
  geoTransform: number[] | null;
  /** The image's own CRS ('' when placed by GCPs or RPCs only). */
  srsWkt: string;
  /** Band names when the raster type knows them (`Blue`, `Red`, `B4`…). */
  bandNames?: string[];
  epsg: number | null;
  noData: (number | null)[];
  overviewFactors: number[];
  blockSize: { width: number; height: number };
  colorInterpretations: string[];
  /** Per band, approximate (from overviews or sampled blocks). */
  statistics: BandStatistics[] | null;
}

export interface BandStatistics {
  min: number;
  max: number;
  mean: number;
  stddev: number;
}

export interface Bounds {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** One catalog row to add. The footprint is in the collection's spatial reference. */
export interface NewCatalogItem {
  name: string;
  /** Closed rings, exterior first ([x, y] pairs); one polygon. */
  footprint: [number, number][][];
  lowPs: number;
  highPs: number;
  minPs?: number;
  maxPs?: number;
  category?: number;
  tag?: string | null;
  groupName?: string | null;
  productName?: string | null;
  sensorName?: string | null;
  /** Epoch milliseconds. */
  acquisitionDate?: number | null;
  cloudCover?: number | null;
  zOrder?: number | null;
  rasterType: string;
  source: string;
  path: string;
  byValue: boolean;
  raster: ImageRaster;
  attributes?: Record<string, unknown>;
}

/** A catalog row as read back (fields named as on the wire, plus the internal columns). */
export interface CatalogItem {
  objectId: number;
  name: string;
  source: string;
  path: string;
  byValue: boolean;
  rasterType: string;
  raster: ImageRaster;
  bbox: Bounds;
  /** Wire field name → value, for `query` (OBJECTID, Name, MinPS, …, extra attributes). */
  fields: Record<string, unknown>;
  /** The footprint as WKB (little-endian, 2D), when asked for. */
  shapeWkb?: Buffer;
}

/** Collection-wide figures kept in step with the rows (the service info reads them). */
export interface CollectionSummary {
  itemCount: number;
  extent: Bounds | null;
  /** Finest and coarsest native pixel sizes (LowPS / HighPS over the items). */
  pixelSizeX: number | null;
  pixelSizeY: number | null;
  minPixelSize: number | null;
  maxPixelSize: number | null;
  bandCount: number;
  pixelType: string | null;
  dataType: string | null;
  noData: number | null;
  statistics: BandStatistics[] | null;
  uncompressedSize: number;
  colorInterpretations: string[];
}

export interface CollectionProperties {
  /** Raster type names used to add images (first one first). */
  rasterTypes: string[];
  /** Catalog fields beyond the standard ones (raster-type attributes, `context.fields`). */
  extraFields: CatalogField[];
  /** `context.cellSize` / `context.extent` given at creation; AddImage reuses them. */
  cellSize?: number;
  clipExtent?: Bounds;
  rasterTypeParameters?: Record<string, unknown>;
  description?: string;
  /**
   * A folder of a registered data store that holds this collection's copies instead of the raster
   * store (an output `{"uri": "/fileShares/x/name"}`); it was made for the collection, so what is
   * inside it is the collection's own.
   */
  rasterDir?: string;
}

export interface CollectionRecord {
  id: string;
  name: string;
  owner: string | null;
  collectionType: string;
  srsWkt: string;
  epsg: number | null;
  properties: CollectionProperties;
  summary: CollectionSummary;
  jobId: string | null;
  created: number;
  modified: number;
}

export type NewCollection = Omit<CollectionRecord, 'summary' | 'created' | 'modified'>;

export type SpatialRelation = 'intersects' | 'envelopeIntersects' | 'contains' | 'within' | 'crosses' | 'overlaps' | 'touches';

/** A catalog query already validated: where compiled, geometry in the collection's SR as WKB. */
export interface CatalogQuery {
  where?: { sql: string; params: unknown[] };
  objectIds?: number[];
  geometry?: { wkb: Buffer; bbox: Bounds; relation: SpatialRelation };
  /** Wire field names with direction, already checked against the fields. */
  orderBy?: Array<{ field: string; descending: boolean }>;
  offset?: number;
  limit?: number;
  returnGeometry?: boolean;
}

export interface DataStoreRecord {
  /** Server path, e.g. `/fileShares/imagery`. */
  path: string;
  /** Last segment of `path`; `uri` inputs name it first: `/imagery/a/b.tif`. */
  name: string;
  type: 'folder';
  /** Absolute folder on this machine. */
  localPath: string;
  info: Record<string, unknown>;
  created: number;
}

/**
 * Image collections and their catalogs. Every write that changes rows also refreshes the
 * collection's summary and boundary in the same transaction, so readers never see them disagree.
 *
 * @example
 * const ids = await catalog.createCollection({ id, name: 'uav', ... }, items);
 * const rows = await catalog.queryItems(id, { where: compileWhere("Name LIKE 'IMG%'", …) });
 */
export interface CatalogStore {
  /** The SQL dialect catalog where clauses must be compiled for (`CatalogQuery.where`). */
  readonly dialect: 'sqlite' | 'postgres';
  getCollection(nameOrId: string): Promise<CollectionRecord | undefined>;
  listCollections(): Promise<CollectionRecord[]>;
  /** Creates the collection with its first items atomically; returns the new OBJECTIDs. */
  createCollection(collection: NewCollection, items: NewCatalogItem[]): Promise<number[]>;
  /** Adds items atomically, tagged with the job that added them (for rollback). */
  addItems(collectionId: string, items: NewCatalogItem[], jobId: string | null, propertiesPatch?: Partial<CollectionProperties>): Promise<number[]>;
  /** `signal`: the request's; when it aborts (the client hung up) the query stops. */
  queryItems(collectionId: string, query: CatalogQuery, signal?: AbortSignal): Promise<CatalogItem[]>;
  countItems(collectionId: string, query: CatalogQuery, signal?: AbortSignal): Promise<number>;
  /** Deletes the rows the query selects; returns them (callers remove by-value copies after). */
  deleteItems(collectionId: string, query: CatalogQuery): Promise<CatalogItem[]>;
  /** Deletes the collection and all its rows; returns the rows. */
  deleteCollection(collectionId: string): Promise<CatalogItem[]>;
  /** The union of the footprints as WKB, or null when the catalog is empty. */
  boundary(collectionId: string, signal?: AbortSignal): Promise<Buffer | null>;
  /** Undoes a job: its rows, and its collection when the job created it. Returns the removed rows. */
  removeJobWork(jobId: string): Promise<{ collections: string[]; items: CatalogItem[] }>;

  registerDataStore(store: DataStoreRecord): Promise<void>;
  listDataStores(): Promise<DataStoreRecord[]>;
  getDataStore(pathOrName: string): Promise<DataStoreRecord | undefined>;
  unregisterDataStore(path: string): Promise<boolean>;
  close(): Promise<void>;
}
