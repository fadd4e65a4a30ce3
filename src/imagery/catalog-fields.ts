/** Field types a catalog field can have (ArcGIS names). */
export type CatalogFieldType =
  | 'esriFieldTypeOID'
  | 'esriFieldTypeGeometry'
  | 'esriFieldTypeString'
  | 'esriFieldTypeInteger'
  | 'esriFieldTypeSmallInteger'
  | 'esriFieldTypeDouble'
  | 'esriFieldTypeSingle'
  | 'esriFieldTypeDate';

export interface CatalogField {
  name: string;
  type: CatalogFieldType;
  alias?: string;
  length?: number;
}

/** Category codes of a mosaic dataset item, as ArcGIS defines them. */
const CATEGORY_DOMAIN = {
  type: 'codedValue',
  name: 'MosaicCatalogItemCategoryDomain',
  codedValues: [
    [0, 'Unknown'],
    [1, 'Primary'],
    [2, 'Overview'],
    [3, 'Unprocessed Overview'],
    [4, 'Partial Overview'],
    [5, 'Inactive'],
    [253, 'Uploaded'],
    [254, 'Incomplete'],
    [255, 'Custom'],
  ].map(([code, name]) => ({ name, code })),
};

/**
 * The standard catalog fields, named exactly as clients hard-code them, with the column (or SQL
 * expression) each is read from. `Shape` is not here: it is the geometry, handled apart.
 */
export const STANDARD_FIELDS: ReadonlyArray<CatalogField & { column: string }> = [
  { name: 'OBJECTID', type: 'esriFieldTypeOID', column: 'object_id' },
  { name: 'Name', type: 'esriFieldTypeString', length: 200, column: 'name' },
  { name: 'MinPS', type: 'esriFieldTypeDouble', column: 'min_ps' },
  { name: 'MaxPS', type: 'esriFieldTypeDouble', column: 'max_ps' },
  { name: 'LowPS', type: 'esriFieldTypeDouble', column: 'low_ps' },
  { name: 'HighPS', type: 'esriFieldTypeDouble', column: 'high_ps' },
  { name: 'Category', type: 'esriFieldTypeInteger', column: 'category' },
  { name: 'Tag', type: 'esriFieldTypeString', length: 100, column: 'tag' },
  { name: 'GroupName', type: 'esriFieldTypeString', length: 100, column: 'group_name' },
  { name: 'ProductName', type: 'esriFieldTypeString', length: 100, column: 'product_name' },
  { name: 'SensorName', type: 'esriFieldTypeString', length: 100, column: 'sensor_name' },
  { name: 'AcquisitionDate', type: 'esriFieldTypeDate', length: 8, column: 'acquisition_date' },
  { name: 'CloudCover', type: 'esriFieldTypeDouble', column: 'cloud_cover' },
  { name: 'CenterX', type: 'esriFieldTypeDouble', column: 'center_x' },
  { name: 'CenterY', type: 'esriFieldTypeDouble', column: 'center_y' },
  { name: 'ZOrder', type: 'esriFieldTypeInteger', column: 'zorder' },
  { name: 'Shape_Length', type: 'esriFieldTypeDouble', column: 'shape_length' },
  { name: 'Shape_Area', type: 'esriFieldTypeDouble', column: 'shape_area' },
];

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** True when `name` may name an extra field (it is spliced, quoted, into SQL as an alias). */
export function isValidFieldName(name: string): boolean {
  return IDENTIFIER.test(name) && !STANDARD_FIELDS.some((f) => f.name.toLowerCase() === name.toLowerCase()) && name.toLowerCase() !== 'shape';
}

/** Every field of a collection's catalog: standard ones, then the extra ones. */
export function catalogFields(extra: readonly CatalogField[]): CatalogField[] {
  return [...STANDARD_FIELDS.map(({ column: _column, ...field }) => field), ...extra];
}

/** Field descriptions as the service info and query responses list them. */
export function describeFields(extra: readonly CatalogField[]): Record<string, unknown>[] {
  const shape = { name: 'Shape', type: 'esriFieldTypeGeometry', alias: 'Shape', domain: null };
  const described = catalogFields(extra).map((field) => ({
    name: field.name,
    type: field.type,
    alias: field.alias ?? field.name,
    ...(field.length === undefined ? {} : { length: field.length }),
    domain: field.name === 'Category' ? CATEGORY_DOMAIN : null,
  }));
  return [described[0], shape, ...described.slice(1)];
}

/**
 * The SELECT list exposing a collection's rows under their wire names, so that compiled where
 * clauses and orderBy can name fields directly. Extra fields come out of the JSON attributes.
 */
export function catalogSelectList(extra: readonly CatalogField[]): string {
  const standard = STANDARD_FIELDS.map((f) => `${f.column} AS "${f.name}"`);
  const more = extra.filter((f) => IDENTIFIER.test(f.name)).map((f) => `json_extract(attributes, '$.${f.name}') AS "${f.name}"`);
  return [...standard, ...more].join(', ');
}

/** Maps the esri type names clients use in `context.fields` (`Long`, `String`…) to ours. */
export function toCatalogFieldType(type: string): CatalogFieldType | undefined {
  const key = type.replace(/^esriFieldType/i, '').toLowerCase();
  const map: Record<string, CatalogFieldType> = {
    string: 'esriFieldTypeString',
    text: 'esriFieldTypeString',
    long: 'esriFieldTypeInteger',
    integer: 'esriFieldTypeInteger',
    short: 'esriFieldTypeSmallInteger',
    smallinteger: 'esriFieldTypeSmallInteger',
    double: 'esriFieldTypeDouble',
    float: 'esriFieldTypeSingle',
    single: 'esriFieldTypeSingle',
    date: 'esriFieldTypeDate',
  };
  return map[key];
}

/** Merges field lists (first wins on a name, compared without case), dropping invalid names. */
export function mergeFields(...lists: CatalogField[][]): CatalogField[] {
  const out = new Map<string, CatalogField>();
  for (const field of lists.flat()) if (isValidFieldName(field.name) && !out.has(field.name.toLowerCase())) out.set(field.name.toLowerCase(), field);
  return [...out.values()];
}
