import { describe, expect, it } from 'vitest';
import type { ItemFilter } from '../store/item-store.js';
import { parseSearchQuery } from './search-query.js';

const text = (value: string): ItemFilter => ({ field: 'text', value });

describe('parseSearchQuery', () => {
  it.each<[string, string | undefined, ItemFilter | undefined]>([
    ['nothing', undefined, undefined],
    ['blank', '   ', undefined],
    ['star', '*', undefined],
    ['one word', 'roads', text('roads')],
    ['words are all required', 'roads paris', { all: [text('roads'), text('paris')] }],
    ['phrase', '"fire maps"', { field: 'text', value: 'fire maps', exact: true }],
    ['owner', 'owner:ana', { field: 'owner', value: 'ana' }],
    ['quoted type is exact', 'type:"Feature Service"', { field: 'type', value: 'Feature Service', exact: true }],
    ['field names any case', 'TITLE:roads', { field: 'title', value: 'roads' }],
    ['id', 'id:0123456789abcdef0123456789abcdef', { field: 'id', value: '0123456789abcdef0123456789abcdef' }],
    ['typekeywords', 'typekeywords:Raster', { field: 'typeKeywords', value: 'Raster' }],
    [
      'AND',
      'owner:ana AND type:"Web Map"',
      { all: [{ field: 'owner', value: 'ana' }, { field: 'type', value: 'Web Map', exact: true }] },
    ],
    ['OR', 'title:a OR title:b', { any: [{ field: 'title', value: 'a' }, { field: 'title', value: 'b' }] }],
    [
      'AND binds tighter than OR',
      'a b OR c',
      { any: [{ all: [text('a'), text('b')] }, text('c')] },
    ],
    [
      'parentheses',
      'owner:ana AND (type:x OR type:y)',
      { all: [{ field: 'owner', value: 'ana' }, { any: [{ field: 'type', value: 'x' }, { field: 'type', value: 'y' }] }] },
    ],
    [
      'field applied to a group',
      'type:("Web Map" OR "Web Scene")',
      { any: [{ field: 'type', value: 'Web Map', exact: true }, { field: 'type', value: 'Web Scene', exact: true }] },
    ],
    ['NOT', 'roads NOT owner:bob', { all: [text('roads'), { not: { field: 'owner', value: 'bob' } }] }],
    ['minus', 'roads -type:x', { all: [text('roads'), { not: { field: 'type', value: 'x' } }] }],
    ['minus group', '-(a OR b)', { not: { any: [text('a'), text('b')] } }],
    ['plus is required', '+roads', text('roads')],
    ['orgid always holds', 'orgid:0123456789ABCDEF AND owner:ana', { field: 'owner', value: 'ana' }],
    ['unknown field matches nothing', 'group:abc', { any: [] }],
    ['range matches nothing', 'created:[0 TO 10]', { any: [] }],
    ['lower-case and is a word', 'rock and roll', { all: [text('rock'), text('and'), text('roll')] }],
    ['unbalanced parenthesis tolerated', '(owner:ana', { field: 'owner', value: 'ana' }],
    ['wildcard kept', 'title:road*', { field: 'title', value: 'road*' }],
  ])('%s: %s', (_label, q, expected) => {
    expect(parseSearchQuery(q)).toEqual(expected);
  });
});
