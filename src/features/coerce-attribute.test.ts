import { describe, expect, it } from 'vitest';
import { coerceAttribute, EditItemError, normalizeGuid } from './coerce-attribute.js';
import type { FieldType } from './field-types.js';
import type { Domain, FieldDefinition } from './service-definition.js';

function field(type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { name: 'F', type, alias: 'F', sqlType: 'sqlTypeOther', nullable: true, editable: true, domain: null, defaultValue: null, ...extra };
}

const coded: Domain = { type: 'codedValue', name: 'S', codedValues: [{ name: 'Open', code: 0 }, { name: 'Closed', code: '1' }] };

describe('coerceAttribute', () => {
  it.each([
    ['esriFieldTypeInteger', 42, 42],
    ['esriFieldTypeInteger', '42', 42],
    ['esriFieldTypeInteger', true, 1],
    ['esriFieldTypeSmallInteger', -32768, -32768],
    ['esriFieldTypeBigInteger', 2 ** 40, 2 ** 40],
    ['esriFieldTypeDouble', '1.5e3', 1500],
    ['esriFieldTypeSingle', 0.25, 0.25],
    ['esriFieldTypeString', 12, '12'],
    ['esriFieldTypeDate', 1700000000000.4, 1700000000000],
    ['esriFieldTypeDate', '2021-06-01T00:00:00Z', Date.UTC(2021, 5, 1)],
    ['esriFieldTypeDate', '1700000000000', 1700000000000],
    ['esriFieldTypeDateOnly', '2024-02-29', '2024-02-29'],
    ['esriFieldTypeDateOnly', Date.UTC(2024, 1, 29), '2024-02-29'],
    ['esriFieldTypeTimeOnly', '13:45:10', '13:45:10'],
    ['esriFieldTypeTimestampOffset', '2024-03-01T10:00:00-05:00', '2024-03-01T10:00:00-05:00'],
    ['esriFieldTypeGUID', '74100804e22949b88cdc9b5d3ef03eda', '{74100804-E229-49B8-8CDC-9B5D3EF03EDA}'],
    ['esriFieldTypeInteger', null, null],
  ] as Array<[FieldType, unknown, unknown]>)('%s ← %j → %j', (type, input, expected) => {
    expect(coerceAttribute(field(type), input)).toEqual(expected);
  });

  it.each([
    ['esriFieldTypeInteger', 1.5],
    ['esriFieldTypeInteger', 'ten'],
    ['esriFieldTypeSmallInteger', 40000],
    ['esriFieldTypeInteger', 2 ** 31],
    ['esriFieldTypeDouble', 'NaN'],
    ['esriFieldTypeDouble', {}],
    ['esriFieldTypeDate', 'yesterday'],
    ['esriFieldTypeDateOnly', '2024-2-29'],
    ['esriFieldTypeTimeOnly', '1 pm'],
    ['esriFieldTypeGUID', '{not-a-guid}'],
    ['esriFieldTypeString', { a: 1 }],
    ['esriFieldTypeBlob', 'AAAA'],
  ] as Array<[FieldType, unknown]>)('%s ← %j fails with 1016', (type, input) => {
    expect(() => coerceAttribute(field(type), input)).toThrow(expect.objectContaining({ code: 1016, message: 'Setting of value for F failed.' }));
  });

  it('checks string lengths and domains', () => {
    expect(coerceAttribute(field('esriFieldTypeString', { length: 3 }), 'abc')).toBe('abc');
    expect(() => coerceAttribute(field('esriFieldTypeString', { length: 3 }), 'abcd')).toThrow(EditItemError);
    expect(coerceAttribute(field('esriFieldTypeSmallInteger', { domain: coded }), 1)).toBe(1);
    expect(() => coerceAttribute(field('esriFieldTypeSmallInteger', { domain: coded }), 2)).toThrow(EditItemError);
    const range: Domain = { type: 'range', name: 'R', range: [0, 10] };
    expect(coerceAttribute(field('esriFieldTypeDouble', { domain: range }), 10)).toBe(10);
    expect(() => coerceAttribute(field('esriFieldTypeDouble', { domain: range }), 10.5)).toThrow(EditItemError);
  });
});

describe('normalizeGuid', () => {
  it.each([
    ['{74100804-E229-49B8-8CDC-9B5D3EF03EDA}', '{74100804-E229-49B8-8CDC-9B5D3EF03EDA}'],
    ['74100804-e229-49b8-8cdc-9b5d3ef03eda', '{74100804-E229-49B8-8CDC-9B5D3EF03EDA}'],
    ['{74100804e22949b88cdc9b5d3ef03eda}', '{74100804-E229-49B8-8CDC-9B5D3EF03EDA}'],
    ['74100804-e229', undefined],
    [42, undefined],
  ])('%j → %j', (input, expected) => {
    expect(normalizeGuid(input)).toBe(expected);
  });
});
