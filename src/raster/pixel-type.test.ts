import { describe, expect, it } from 'vitest';
import { isFloatType, toPixelType } from './pixel-type.js';

describe('toPixelType', () => {
  it.each([
    ['Byte', undefined, 'U8'],
    ['Byte', 1, 'U1'],
    ['Byte', 4, 'U4'],
    ['Byte', 8, 'U8'],
    ['Int8', undefined, 'S8'],
    ['UInt16', undefined, 'U16'],
    ['Int16', undefined, 'S16'],
    ['UInt32', undefined, 'U32'],
    ['Int32', undefined, 'S32'],
    ['Float32', undefined, 'F32'],
    ['Float64', undefined, 'F64'],
    ['CFloat32', undefined, 'C64'],
    ['Int64', undefined, 'F64'],
    ['Nonsense', undefined, 'UNKNOWN'],
    [null, undefined, 'UNKNOWN'],
  ] as const)('%s (nbits %s) → %s', (gdalType, nbits, expected) => {
    expect(toPixelType(gdalType, nbits)).toBe(expected);
  });

  it.each([
    ['Float32', true],
    ['CFloat64', true],
    ['Int16', false],
    ['Byte', false],
  ])('isFloatType(%s) → %s', (gdalType, expected) => {
    expect(isFloatType(gdalType)).toBe(expected);
  });
});
