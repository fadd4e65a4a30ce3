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

// U1 shapes

/**
 * generateToken's answer as a test reads it: `token` and `expires` typed as present (a test that
 * expects a refusal reads `error` instead).
 */
export interface TokenReply extends ErrorAnswer {
  token: string;
  expires: number;
  ssl?: boolean;
}

/** publish's answer when the publish runs as a job (large files): each service names its job. */
export interface AsyncPublishAnswer extends ErrorAnswer {
  services: Array<PublishAnswer['services'][number] & { jobId: string }>;
}

/** The status of an item's publish job (`content/users/<user>/items/<id>/status?jobId=…`). */
export interface PublishStatus extends ErrorAnswer {
  status: string;
  statusMessage?: string;
  itemId?: string;
}

/** An image service's JSON (`ImageServer?f=json`, with or without a rendering rule). */
export interface ImageServiceJson extends ServiceJson {
  name: string;
  pixelType: string;
  bandCount: number;
  minValues: number[];
  maxValues: number[];
  singleFusedMapCache?: boolean;
  tileInfo: TileInfo;
  /** The catalog's fields. */
  fields: Field[];
}

/** An ImageServer's `identify` answer. */
export interface IdentifyAnswer extends ErrorAnswer {
  objectId: number;
  name: string;
  /** Band values joined by spaces, or `NoData`. */
  value: string;
  location: { x: number; y: number; spatialReference: SpatialReference };
  properties: { Values: string[]; [key: string]: unknown };
  /** Typed as present: null with returnCatalogItems=false, which a test checks as such. */
  catalogItems: { features: Feature[]; [key: string]: unknown };
  catalogItemVisibilities: number[];
}

/** An ImageServer's `getSamples` answer. */
export interface SamplesAnswer extends ErrorAnswer {
  samples: Array<{
    locationId: number;
    location: { x: number; y: number; spatialReference?: SpatialReference };
    value: string;
    /** Absent where there is no data. */
    rasterId?: number;
    resolution?: number;
    attributes: Record<string, unknown>;
  }>;
}

/** One band's statistics (`statistics`, `computeStatisticsHistograms`). */
export interface BandStatisticsJson {
  min: number;
  max: number;
  mean: number;
  standardDeviation: number;
  count: number;
  skipX?: number;
  skipY?: number;
  [key: string]: unknown;
}

/** An ImageServer's (or one raster's) `statistics` answer. */
export interface StatisticsAnswer extends ErrorAnswer {
  statistics: BandStatisticsJson[];
}

/** An ImageServer's (or one raster's) `histograms` / `computeHistograms` answer. */
export interface HistogramsAnswer extends ErrorAnswer {
  histograms: Array<{ size: number; min: number; max: number; counts: number[] }>;
}

// U2 shapes

/** addItem's answer. */
export interface AddItemAnswer extends ErrorAnswer {
  success?: boolean;
  id: string;
  folder?: string | null;
}

/** A portal folder as listings and createFolder/delete answers give it. */
export interface PortalFolder {
  username: string;
  id: string;
  title: string;
  created?: number;
}

/** A user's content listing (`content/users/<name>[/<folder>]`). */
export interface UserContent extends ErrorAnswer {
  username: string;
  total: number;
  start: number;
  num: number;
  nextStart: number;
  currentFolder: PortalFolder | null;
  items: Item[];
  folders: PortalFolder[];
}

/** The portal's `search` answer. */
export interface SearchAnswer extends ErrorAnswer {
  query: string;
  total: number;
  start: number;
  num: number;
  nextStart: number;
  results: Item[];
}

/** deleteItems' answer: one row per item. */
export interface DeleteItemsAnswer extends ErrorAnswer {
  results: Array<{ itemId: string; success: boolean; error?: { code: number; message: string } }>;
}

/** `portals/self`; other members read as unknown. */
export interface PortalSelf extends ErrorAnswer {
  id: string;
  user?: UserJson;
  helperServices: Record<string, { url: string }>;
  [key: string]: unknown;
}

/** A GP parameter as a task's JSON describes it. */
export interface GPParameterInfo {
  name: string;
  dataType: string;
  direction: string;
  parameterType: string;
  [key: string]: unknown;
}

/** A GP task's JSON (`GPServer/<task>?f=json`). */
export interface GPTaskJson extends ErrorAnswer {
  name: string;
  parameters: GPParameterInfo[];
  [key: string]: unknown;
}

/** A GP service's JSON (`GPServer?f=json`). */
export interface GPServiceJson extends ErrorAnswer {
  tasks: string[];
  [key: string]: unknown;
}

/** A synchronous `execute` answer, or a job's `results` listing. */
export interface GPResultsAnswer<V = unknown> extends ErrorAnswer {
  results: Array<JobParameter<V>>;
  messages: Array<{ type: string; description: string }>;
}

/** `sharing/rest/info` or `rest/info`. */
export interface InfoAnswer extends ErrorAnswer {
  owningSystemUrl?: string;
  authInfo: { tokenServicesUrl: string; isTokenBasedSecurity: boolean; [key: string]: unknown };
  [key: string]: unknown;
}

/** A cached service's tiling scheme (`tileInfo`). */
export interface TileInfo {
  rows: number;
  cols: number;
  origin: { x: number; y: number };
  spatialReference: SpatialReference;
  lods: Array<{ level: number; resolution: number; scale: number }>;
  [key: string]: unknown;
}

/** An image service's `keyProperties` (members as ArcGIS spells them). */
export interface KeyPropertiesJson extends ErrorAnswer {
  DataType?: string;
  BandProperties?: Array<{ BandName: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** The data store's item listings (`admin/data/items/<kind>`, `admin/data/findItems`). */
export interface DataItems extends ErrorAnswer {
  items: Array<{ path: string; type?: string; info?: Record<string, unknown>; [key: string]: unknown }>;
}

/** An administrator API answer in its own shape: `{status: 'success'}` or `{status: 'error', messages, code}`. */
export interface AdminStatus {
  status: string;
  messages?: string[];
  code?: number;
  [key: string]: unknown;
}
