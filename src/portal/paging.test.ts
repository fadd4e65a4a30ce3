import { describe, expect, it } from 'vitest';
import { Params } from '../params.js';
import { readPage, toPage } from './paging.js';

describe('readPage', () => {
  it.each<[Record<string, string>, { start: number; num: number }]>([
    [{}, { start: 1, num: 10 }],
    [{ start: '11', num: '5' }, { start: 11, num: 5 }],
    [{ start: '0', num: '1000' }, { start: 1, num: 100 }],
    [{ start: '-3', num: '-1' }, { start: 1, num: 0 }],
  ])('%j → %j', (input, expected) => {
    expect(readPage(new Params(input))).toEqual(expected);
  });
});

describe('toPage', () => {
  it.each([
    [{ start: 1, num: 10 }, 25, 11],
    [{ start: 11, num: 10 }, 25, 21],
    [{ start: 21, num: 10 }, 25, -1],
    [{ start: 1, num: 10 }, 10, -1],
    [{ start: 1, num: 10 }, 11, 11],
    [{ start: 1, num: 0 }, 5, -1],
    [{ start: 1, num: 10 }, 0, -1],
  ])('%j of %i → nextStart %i', (page, total, nextStart) => {
    expect(toPage(page, total)).toEqual({ total, ...page, nextStart });
  });
});
