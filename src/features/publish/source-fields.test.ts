import { describe, expect, it } from 'vitest';
import { ogrDateToEpoch, sanitizeNames, widenTextType, type TextColumnType } from './source-fields.js';

describe('sanitizeNames', () => {
  it.each([
    [['Name', 'name', 'NAME'], ['Name', 'name_1', 'NAME_2']],
    [['2nd col', 'a-b', ''], ['_2nd_col', 'a_b', 'field']],
    [['OBJECTID', 'Shape', 'objectid_1'], ['OBJECTID_1', 'Shape_1', 'objectid_1_1']],
    [['Straße', 'naïve'], ['Straße', 'naïve']],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeNames(input)).toEqual(expected);
  });
});

describe('widenTextType', () => {
  it.each([
    [['1', '2', ''], 'esriFieldTypeInteger'],
    [['1', '2.5'], 'esriFieldTypeDouble'],
    [['1e3'], 'esriFieldTypeDouble'],
    [['3000000000'], 'esriFieldTypeDouble'],
    [['1', 'x', '2'], 'esriFieldTypeString'],
    [['', ' '], 'empty'],
    [['-7', '+8'], 'esriFieldTypeInteger'],
  ] as Array<[string[], TextColumnType]>)('%j → %s', (values, expected) => {
    expect(values.reduce(widenTextType, 'empty' as TextColumnType)).toBe(expected);
  });
});

describe('ogrDateToEpoch', () => {
  it.each([
    [{ year: 2020, month: 1, day: 2 }, Date.UTC(2020, 0, 2)],
    [{ year: 2020, month: 1, day: 2, hour: 3, minute: 4, second: 5.25, timezone: 100 }, Date.UTC(2020, 0, 2, 3, 4, 5, 250)],
    [{ year: 2020, month: 1, day: 2, hour: 3, minute: 0, second: 0, timezone: 104 }, Date.UTC(2020, 0, 2, 2, 0, 0)],
    [null, null],
  ])('%j → %j', (input, expected) => {
    expect(ogrDateToEpoch(input)).toBe(expected);
  });
});
