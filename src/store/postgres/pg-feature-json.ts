import type { FeatureJsonShape } from '../feature-store.js';

/**
 * Renders rows read as PostgreSQL's own text (every column unparsed, see RAW_TEXT) into the
 * feature objects of a JSON page, with the very text `to_json` would write for each value: the
 * server formats numbers itself (float8 shortest round-trip, numeric as rounded), so node only
 * quotes strings. Rendering in PostgreSQL (row_to_json per row) cost it about three times the
 * query; rendering here costs node less than parsing the numbers would.
 */

/** Per-query type parsing that leaves every value as the text the server sent. */
export const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** OIDs of the types `to_json` writes as numbers (when the text is a JSON number) and as booleans. */
const NUMBER_TYPES = new Set([20, 21, 23, 26, 700, 701, 1700]);
const BOOLEAN_TYPE = 16;

type Encode = (text: string) => string;

/** `to_json` of a number: as it is, but NaN and ±Infinity (not JSON numbers) become strings. */
const asNumber: Encode = (text) => {
  const digit = text.charCodeAt(text.charCodeAt(0) === 45 ? 1 : 0);
  return digit >= 48 && digit <= 57 ? text : JSON.stringify(text);
};
const asBoolean: Encode = (text) => (text === 't' ? 'true' : 'false');
/** PostgreSQL's escape_json and JSON.stringify escape the same characters the same way. */
const asString: Encode = (text) => JSON.stringify(text);

/** How each column's text becomes JSON, by the column's type (readColumn yields only numbers and text). */
export function encodersOf(typeIds: number[]): Encode[] {
  return typeIds.map((id) => (NUMBER_TYPES.has(id) ? asNumber : id === BOOLEAN_TYPE ? asBoolean : asString));
}

/**
 * The two columns a point geometry `g` is read as: x and y (rounded to `precision` decimals when
 * asked). A NULL geometry has a NULL x; an empty point (no coordinates, yet not NULL) has an x,
 * NaN, and a NULL y, which no other point has. Two columns, not a third telling NULL: every row
 * costs both ends a value less.
 */
export function pointColumns(g: string, precision: number | undefined): [string, string] {
  const rounded = (expression: string) => (precision === undefined ? expression : `round((${expression})::numeric, ${Math.max(0, Math.trunc(precision))})`);
  const nan = precision === undefined ? `'NaN'::double precision` : `'NaN'::numeric`;
  return [`COALESCE(${rounded(`ST_X(${g})`)}, CASE WHEN ${g} IS NOT NULL THEN ${nan} END)`, rounded(`ST_Y(${g})`)];
}

/**
 * The objects `{"<attributesKey>":{…},"<geometryKey>":…}` joined by commas. A row holds the
 * attribute columns in `shape.attributeKeys` order, then, `withGeometry`, the two columns of
 * pointColumns.
 */
export function renderFeatureJson(rows: Array<Array<string | null>>, encoders: Encode[], shape: FeatureJsonShape, withGeometry: boolean): Buffer {
  const attributeCount = shape.attributeKeys.length;
  const open = `{${JSON.stringify(shape.attributesKey)}:{`;
  const names = shape.attributeKeys.map((key, i) => `${i === 0 ? '' : ','}${JSON.stringify(key)}:`);
  const geometry = `},${JSON.stringify(shape.geometryKey)}:`;
  const parts: string[] = [];
  for (const row of rows) {
    let object = open;
    for (let i = 0; i < attributeCount; i++) {
      const value = row[i];
      object += names[i]! + (value === null || value === undefined ? 'null' : encoders[i]!(value));
    }
    if (withGeometry) {
      const [x, y] = [row[attributeCount], row[attributeCount + 1]];
      if (x === null || x === undefined) object += `${geometry}null}`;
      else if (y === null || y === undefined) object += `${geometry}{"x":null,"y":null}}`;
      else object += `${geometry}{"x":${encoders[attributeCount]!(x)},"y":${encoders[attributeCount + 1]!(y)}}}`;
    } else {
      object += '}}';
    }
    parts.push(object);
  }
  return Buffer.from(parts.join(','));
}
