import { describe, expect, it } from 'vitest';
import type { ItemFilter } from '../item-store.js';
import { compileItemFilter, withItemFilter } from './item-filter-sql.js';

describe('compileItemFilter', () => {
  it.each<[string, ItemFilter, string, unknown[]]>([
    ['owner equals', { field: 'owner', value: 'Ana' }, 'lower(owner) = lower(?)', ['Ana']],
    ['owner wildcard', { field: 'owner', value: 'an*' }, "owner LIKE ? ESCAPE '\\'", ['an%']],
    ['exact type', { field: 'type', value: 'Web Map', exact: true }, 'lower(type) = lower(?)', ['Web Map']],
    ['loose type', { field: 'type', value: 'map' }, "type LIKE ? ESCAPE '\\'", ['%map%']],
    ['title keeps LIKE characters literal', { field: 'title', value: '50%_a' }, "title LIKE ? ESCAPE '\\'", ['%50\\%\\_a%']],
    [
      'tags element',
      { field: 'tags', value: 'roads', exact: true },
      'EXISTS (SELECT 1 FROM json_each(items.tags) WHERE lower(value) = lower(?))',
      ['roads'],
    ],
    ['match all', { all: [] }, '1=1', []],
    ['match none', { any: [] }, '1=0', []],
    [
      'nested',
      { all: [{ field: 'id', value: 'abc' }, { not: { any: [{ field: 'access', value: 'public' }, { field: 'snippet', value: 's' }] } }] },
      "(lower(id) = lower(?) AND NOT (lower(access) = lower(?) OR snippet LIKE ? ESCAPE '\\'))",
      ['abc', 'public', '%s%'],
    ],
  ])('sqlite: %s', (_label, filter, sql, values) => {
    const bound: unknown[] = [];
    expect(compileItemFilter(filter, 'sqlite', bound)).toBe(sql);
    expect(bound).toEqual(values);
  });

  it.each<[string, ItemFilter, string]>([
    ['ILIKE', { field: 'title', value: 'x' }, "title ILIKE ? ESCAPE '\\'"],
    ['JSON elements', { field: 'typeKeywords', value: 'Raster' }, "EXISTS (SELECT 1 FROM json_array_elements_text(items.type_keywords::json) AS e(value) WHERE value ILIKE ? ESCAPE '\\')"],
  ])('postgres: %s', (_label, filter, sql) => {
    expect(compileItemFilter(filter, 'postgres', [])).toBe(sql);
  });

  it('free words look in every text column', () => {
    const bound: unknown[] = [];
    const sql = compileItemFilter({ field: 'text', value: 'x' }, 'sqlite', bound);
    expect(sql).toBe(`(${['title', 'snippet', 'description', 'type', 'tags', 'type_keywords'].map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    expect(bound).toEqual(Array(6).fill('%x%'));
  });
});

describe('withItemFilter', () => {
  it.each([
    ['adds to an existing WHERE, after its values', { where: 'WHERE a = ?', order: 'id', values: [1] }, 'WHERE a = ? AND lower(owner) = lower(?)', [1, 'ana']],
    ['starts a WHERE', { where: '', order: 'id', values: [] }, 'WHERE lower(owner) = lower(?)', ['ana']],
  ])('%s', (_label, built, where, values) => {
    expect(withItemFilter(built, { field: 'owner', value: 'ana' }, 'sqlite')).toEqual({ where, order: 'id', values });
  });

  it('leaves the query alone without a filter', () => {
    const built = { where: 'WHERE a = ?', order: 'id', values: [1] };
    expect(withItemFilter(built, undefined, 'sqlite')).toBe(built);
  });
});
