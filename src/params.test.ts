import { describe, expect, it } from 'vitest';
import { Params } from './params.js';

describe('Params', () => {
  it.each([
    [{ where: '1=1' }, 'WHERE', '1=1'],
    [{ where: '' }, 'where', undefined],
    [{ a: ['x', 'y'] }, 'a', 'y'],
  ])('string(%j, %s) → %j', (source, name, expected) => {
    expect(new Params(source).string(name)).toBe(expected);
  });

  it('lets the body win over the query string', () => {
    expect(new Params({ f: 'html' }, { f: 'json' }).string('f')).toBe('json');
  });

  it.each([
    ['true', true],
    ['FALSE', false],
    ['', true],
  ])('bool(%s)', (text, expected) => {
    expect(new Params({ b: text }).bool('b', true)).toBe(expected);
  });

  it('refuses malformed JSON with a 400 naming the parameter', () => {
    expect(() => new Params({ geometry: '{x:1' }).json('geometry')).toThrow(expect.objectContaining({ code: 400, details: ["'geometry' parameter is invalid: it is not valid JSON"] }));
  });

  it.each([
    ['37, 462', ['37', '462']],
    ['[1,2]', ['1', '2']],
  ])('list(%s)', (text, expected) => {
    expect(new Params({ ids: text }).list('ids')).toEqual(expected);
  });
});
