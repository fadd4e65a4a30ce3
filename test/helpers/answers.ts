/**
 * The JSON answers the tests read, as the tests read them: the ArcGIS wire shapes with the members
 * tests look at (all optional where an answer may be an error envelope instead). Give a request its
 * shape with `server.get<FeatureSet>(...)`, or `readJson<T>(response)` for a raw fetch.
 */

/** The ArcGIS error envelope's inner object. */
export interface ArcGISError {
  code: number;
  message: string;
  details: string[];
  messageCode?: string;
}

/** An answer the test expects to be an error envelope and nothing else. */
export type ErrorEnvelope = ErrorAnswer;

/**
 * An answer that may be an error envelope. `error` is typed as present, as geometry members are:
 * a test reads it when it expects an error and otherwise checks that it is undefined.
 */
export interface ErrorAnswer {
  error: ArcGISError;
}

export interface SpatialReference {
  wkid?: number;
  latestWkid?: number;
  wkt?: string;
}

/**
 * Esri JSON geometry: point, multipoint, polyline, polygon or envelope. Every member is typed as
 * present: a test knows which kind it asked for and reads only that kind's members.
 */
export interface Geometry {
  x: number;
  y: number;
  z?: number;
  m?: number;
  points: number[][];
  paths: number[][][];
  rings: number[][][];
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  spatialReference: SpatialReference;
}

export type Extent = Pick<Geometry, 'xmin' | 'ymin' | 'xmax' | 'ymax' | 'spatialReference'>;

/** A feature; `geometry` typed as present (a test that asks for none checks it is undefined). */
export interface Feature {
  attributes: Record<string, unknown>;
  geometry: Geometry;
}

export interface Field {
  name: string;
  type: string;
  alias?: string;
  length?: number;
  domain?: unknown;
  defaultValue?: unknown;
  editable?: boolean;
  nullable?: boolean;
  sqlType?: string;
}

/** A layer's or table's `query` answer (feature set, count, ids or extent). */
export interface FeatureSet extends ErrorAnswer {
  objectIdFieldName?: string;
  globalIdFieldName?: string;
  geometryType?: string;
  spatialReference?: SpatialReference;
  fields: Field[];
  features: Feature[];
  exceededTransferLimit?: boolean;
  count: number;
  objectIds: number[];
  extent: Extent;
}

/** One row of an edit answer. */
export interface EditResult {
  objectId: number;
  globalId?: string;
  success: boolean;
  /** Typed as present: read when the test expects the row to fail. */
  error: { code: number; description: string };
}

/** A layer's applyEdits / addFeatures / updateFeatures / deleteFeatures answer. */
export interface EditsAnswer extends ErrorAnswer {
  addResults: EditResult[];
  updateResults: EditResult[];
  deleteResults: EditResult[];
  attachments?: unknown;
  success?: boolean;
  editMoment?: number;
}

/** A service's applyEdits answer: one entry per layer. */
export type ServiceEditsAnswer = Array<EditsAnswer & { id: number }> & ErrorAnswer;

/** A GP job's status (submitJob, jobs/<id>). */
export interface JobStatus extends ErrorAnswer {
  jobId: string;
  jobStatus: string;
  messages: Array<{ type: string; description: string }>;
  results: Record<string, { paramUrl: string }>;
  inputs: Record<string, { paramUrl: string }>;
  progress?: { type?: string; message?: string; percent?: number };
}

/** A GP result or input parameter (`jobs/<id>/results/<name>`). */
export interface JobParameter<V = unknown> extends ErrorAnswer {
  paramName: string;
  dataType: string;
  value: V;
}

/** The hosted layer a job made: its result parameter's `value`. */
export interface OutputValue {
  url: string;
  itemId: string;
}

/** A finished job's result parameters by name (`processInfo` and tables: cast `value`). */
export type JobResults = Record<string, JobParameter<OutputValue>>;

/** A portal item's JSON (`content/items/<id>`, search results, addItem answers). */
export interface Item extends ErrorAnswer {
  id: string;
  owner: string;
  title: string;
  type: string;
  name?: string | null;
  url?: string | null;
  tags: string[];
  typeKeywords: string[];
  access: string;
  ownerFolder?: string | null;
  snippet?: string | null;
  description?: string | null;
  size?: number;
  created: number;
  modified: number;
  [key: string]: unknown;
}

/** A portal user (`community/self`, `community/users/<name>`). */
export interface UserJson extends ErrorAnswer {
  username: string;
  fullName?: string;
  role: string;
  privileges?: string[];
  [key: string]: unknown;
}

/** createService's answer. */
export interface CreatedService extends ErrorAnswer {
  success?: boolean;
  itemId: string;
  serviceItemId?: string;
  serviceurl: string;
  encodedServiceURL?: string;
  name?: string;
  type?: string;
}

/** A query answer with `f=geojson`. */
export interface GeoJsonAnswer extends ErrorAnswer {
  type: string;
  features: Array<{ type: string; id?: number | string; properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][][] } }>;
  [key: string]: unknown;
}

/** A folder of the services directory (`rest/services/Hosted`). */
export interface FolderJson extends ErrorAnswer {
  folders: string[];
  services: Array<{ name: string; type: string }>;
}

/** publish's answer: one entry per service made. */
export interface PublishAnswer extends ErrorAnswer {
  services: Array<{ type: string; status: string; serviceurl: string; serviceItemId: string; error?: ArcGISError; [key: string]: unknown }>;
}

/** A `{ success: true }` kind of answer (admin and portal operations). */
export interface SuccessAnswer extends ErrorAnswer {
  success?: boolean;
  status?: string;
  id?: string;
  itemId?: string;
  folder?: { id: string; title: string };
  [key: string]: unknown;
}

/** A feature or image service's JSON (`FeatureServer?f=json`); other members read as unknown. */
export interface ServiceJson extends ErrorAnswer {
  currentVersion: number;
  serviceItemId?: string;
  capabilities: string;
  maxRecordCount: number;
  spatialReference: SpatialReference;
  initialExtent: Extent;
  fullExtent: Extent;
  extent: Extent;
  layers: Array<{ id: number; name: string; geometryType?: string; [key: string]: unknown }>;
  tables: Array<{ id: number; name: string; [key: string]: unknown }>;
  editingInfo?: { lastEditDate?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** A layer's or table's JSON (`FeatureServer/0?f=json`); other members read as unknown. */
export interface LayerJson extends ErrorAnswer {
  id: number;
  name: string;
  type: string;
  geometryType: string;
  objectIdField: string;
  globalIdField?: string;
  fields: Field[];
  capabilities: string;
  maxRecordCount: number;
  extent: Extent;
  advancedQueryCapabilities: Record<string, boolean>;
  supportedQueryFormats: string;
  drawingInfo: { renderer: unknown; [key: string]: unknown };
  editingInfo?: { lastEditDate?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** A folder, service or layer resource's JSON; read member by member, so loosely typed. */
export interface ResourceJson extends ErrorAnswer {
  [key: string]: unknown;
}

/** A JSON body read from a raw `fetch` response, with the shape the test expects. */
export async function readJson<T = unknown>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

// U3 shapes

/** An image service's JSON (`ImageServer?f=json`), with its tiling scheme; other members read as unknown. */
export interface ImageServiceJson extends ErrorAnswer {
  spatialReference: SpatialReference;
  extent: Extent;
  tileInfo: { spatialReference: SpatialReference; [key: string]: unknown };
  [key: string]: unknown;
}
