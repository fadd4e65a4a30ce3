import { describe, expect, it } from 'vitest';
import { parseMosaicRule, readMosaicMethod, readMosaicOperation } from './mosaic-rule.js';
import { detailsOf } from '../../../test/helpers/error-details.js';

describe('parseMosaicRule', () => {
  it.each([
    [undefined, { method: 'northwest', operation: 'first', ascending: true }],
    [{ mosaicMethod: 'esriMosaicCenter' }, { method: 'center', operation: 'first', ascending: true }],
    [{ mosaicMethod: 'esriMosaicLockRaster', lockRasterIds: [3, 7] }, { method: 'lockRaster', operation: 'first', ascending: true, lockRasterIds: [3, 7] }],
    [{ mosaicMethod: 'esriMosaicLockRaster' }, { method: 'lockRaster', operation: 'first', ascending: true, lockRasterIds: [] }],
    [{ mosaicMethod: 'esriMosaicAttribute', sortField: 'AcquisitionDate', sortValue: '2020/01/01', ascending: false }, { method: 'attribute', operation: 'first', ascending: false, sortField: 'AcquisitionDate', sortValue: '2020/01/01' }],
    [{ mosaicMethod: 'esriMosaicNone', mosaicOperation: 'MT_MEAN', where: 'Category = 1', fids: '1,2' }, { method: 'none', operation: 'mean', ascending: true, where: 'Category = 1', fids: [1, 2] }],
    [{ mosaicMethod: 'esriMosaicViewpoint', viewpoint: { x: 1, y: 2 } }, { method: 'viewpoint', operation: 'first', ascending: true, viewpoint: { x: 1, y: 2, spatialReference: undefined } }],
  ])('%j → %j', (input, expected) => {
    expect(parseMosaicRule(input)).toEqual(expected);
  });

  it.each([
    ['not an object', 'x'],
    ['unknown method', { mosaicMethod: 'esriMosaicRandom' }],
    ['unknown operation', { mosaicOperation: 'MT_MEDIAN' }],
    ['ids that are not integers', { lockRasterIds: [1.5] }],
    ['a viewpoint without coordinates', { viewpoint: { x: 1 } }],
  ])('refuses %s', (_, input) => {
    expect(detailsOf(() => parseMosaicRule(input))).toMatch(/^'mosaicRule' parameter is invalid/);
  });

  it.each([
    ['esriMosaicNorthwest', 'northwest'],
    ['NorthWest', 'northwest'],
    ['ByAttribute', 'attribute'],
    ['esriMosaicSeamline', 'seamline'],
    ['Nope', undefined],
  ])('reads the method %s', (name, method) => expect(readMosaicMethod(name)).toBe(method));

  it.each([
    ['MT_LAST', 'last'],
    ['Max', 'max'],
    ['MT_BLEND', 'blend'],
    ['MT_NOPE', undefined],
  ])('reads the operation %s', (name, operation) => expect(readMosaicOperation(name)).toBe(operation));
});
