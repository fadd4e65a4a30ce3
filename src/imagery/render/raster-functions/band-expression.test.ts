import { describe, expect, it } from 'vitest';
import { detailsOf } from '../../../../test/helpers/error-details.js';
import { compileBandExpression } from './band-expression.js';

describe('compileBandExpression', () => {
  const bands = [10, 20, 30, 50];
  it.each([
    ['(B4-B3)/(B4+B3)', 0.25, [2, 3]],
    ['b1 + 2 * b2', 50, [0, 1]],
    ['-B1 + 3', -7, [0]],
    ['B2 ^ 2 / 4', 100, [1]],
    ['2 ** 3 ** 2', 512, []],
    ['sqrt(B1 * 10) + abs(-1)', 11, [0]],
    ['max(B1, B2) - min(B3, B4)', -10, [0, 1, 2, 3]],
    ['1.5e1 + .5', 15.5, []],
  ])('%s = %s', (text, value, used) => {
    const compiled = compileBandExpression(text);
    expect(compiled.evaluate(bands)).toBeCloseTo(value, 10);
    expect(compiled.bands).toEqual(used);
  });

  it.each(['', 'B1 +', '(B1', 'B1)', 'B0', 'process.exit()', 'B1; B2', 'pow(B1)', 'B1 B2', 'constructor'])('refuses %j', (text) => {
    expect(detailsOf(() => compileBandExpression(text))).toMatch(/band expression/);
  });
});
