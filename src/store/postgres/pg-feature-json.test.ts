import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAW_TEXT, encodersOf, pointColumns, renderFeatureJson } from './pg-feature-json.js';

const POSTGRES_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Values of every type readColumn yields, at the edges of their text forms, by type. */
const VALUES: Record<string, string[]> = {
  bigint: ['9007199254740993', '-1', '0'],
  float8: ["'1e-5'", "'1.5e20'", "'-0'", "'NaN'", "'Infinity'", "'-Infinity'", '0.1::float8 + 0.2', "'123456789012345678'"],
  numeric: ['round(1.25, 1)', "'NaN'", 'round(-0.00001, 8)'],
  text: ["'quote \" back \\ ünï 😀'", "E'controls \\b\\f\\n\\r\\t \\x01 \\x1f \\x7f'", "''", "'{\"not\":\"json\"}'"],
  boolean: ['true', 'false'],
};

describe('renderFeatureJson (objects with the text PostgreSQL\'s to_json writes)', () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('writes each value as to_json does, NULLs as null', async () => {
    for (const [type, values] of Object.entries(VALUES)) {
      for (const value of [...values, 'NULL'].map((v) => `(${v})::${type}`)) {
        const raw = await client.query<Array<string | null>>({ text: `SELECT ${value}`, rowMode: 'array', types: RAW_TEXT });
        const json = await client.query<[string]>({ text: `SELECT coalesce(to_json(${value})::text, 'null')`, rowMode: 'array' });
        const shape = { attributesKey: 'attributes', attributeKeys: ['v'], geometryKey: 'geometry' };
        const rendered = renderFeatureJson(raw.rows, encodersOf(raw.fields.map((f) => f.dataTypeID)), shape, false).toString();
        expect(rendered, value).toBe(`{"attributes":{"v":${json.rows[0]![0]}}}`);
      }
    }
  });

  it('writes points as x/y, null geometries as null, empty points with null coordinates', async () => {
    const points = `(VALUES ('POINT(1e-5 -2.5)'::geometry), (NULL), ('POINT EMPTY'::geometry), ('POINT(NaN 1)'::geometry)) AS v(g)`;
    const shape = { attributesKey: 'a', attributeKeys: ['id "x"'], geometryKey: 'g' };
    const expected = {
      none: ['{"x":1e-05,"y":-2.5}', '{"x":"NaN","y":1}'],
      two: ['{"x":0.00,"y":-2.50}', '{"x":"NaN","y":1.00}'],
    };
    for (const precision of [undefined, 2]) {
      const sql = `SELECT 7::bigint, ${pointColumns('g', precision).join(', ')} FROM ${points}`;
      const raw = await client.query<Array<string | null>>({ text: sql, rowMode: 'array', types: RAW_TEXT });
      const [point, nan] = precision === undefined ? expected.none : expected.two;
      expect(renderFeatureJson(raw.rows, encodersOf(raw.fields.map((f) => f.dataTypeID)), shape, true).toString()).toBe(
        [point, 'null', '{"x":null,"y":null}', nan].map((g) => `{"a":{"id \\"x\\"":7},"g":${g}}`).join(','),
      );
    }
  });
});
