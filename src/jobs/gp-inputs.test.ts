import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { parseTaskInputs } from './gp-inputs.js';
import type { GPDataType, TaskParameter } from './task.js';

const input = (name: string, dataType: GPDataType, extra: Partial<TaskParameter> = {}): TaskParameter => ({
  name,
  dataType,
  displayName: name,
  direction: 'input',
  required: false,
  ...extra,
});

const parse = (parameters: TaskParameter[], values: Record<string, string>) =>
  parseTaskInputs(parameters, (name) => Object.entries(values).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]);

describe('parseTaskInputs: values by data type', () => {
  it.each<[GPDataType, string, unknown]>([
    ['GPString', 'plain text', 'plain text'],
    ['GPString', '{"itemId":"abc"}', { itemId: 'abc' }],
    ['GPString', '[Name] = 1', '[Name] = 1'],
    ['GPString', '["a","b"]', ['a', 'b']],
    ['GPBoolean', 'TRUE', true],
    ['GPBoolean', 'false', false],
    ['GPLong', ' 42 ', 42],
    ['GPDouble', '-1.5', -1.5],
    ['GPDate', '1735689600000', 1735689600000],
    ['GPDate', '2025-01-01T00:00:00Z', 1735689600000],
    ['GPDate', '{"date":"2025-01-01T00:00:00Z","format":"x"}', 1735689600000],
    ['GPLinearUnit', '{"distance":5,"units":"esriMeters"}', { distance: 5, units: 'esriMeters' }],
    ['GPRasterDataLayer', 'https://host/img.tif', 'https://host/img.tif'],
    ['GPRasterDataLayer', '{"url":"https://host/img.tif"}', { url: 'https://host/img.tif' }],
    ['GPMultiValue:GPString', 'a, b ,c', ['a', 'b', 'c']],
    ['GPMultiValue:GPString', '["a","b"]', ['a', 'b']],
  ])('%s %s → %j', (dataType, text, expected) => {
    expect(parse([input('v', dataType)], { v: text })).toEqual({ v: expected });
  });

  it.each<[GPDataType, string, string]>([
    ['GPString', '{"broken"', "'v' parameter is invalid: it is not valid JSON"],
    ['GPBoolean', 'yes', "'v' parameter is invalid: expected true or false"],
    ['GPLong', '4.2', "'v' parameter is invalid: expected an integer"],
    ['GPLong', '4503599627370496', "'v' parameter is invalid: expected an integer"],
    ['GPDouble', 'NaN', "'v' parameter is invalid: expected a number"],
    ['GPDate', 'someday', "'v' parameter is invalid: expected a date (epoch milliseconds or ISO 8601)"],
    ['GPLinearUnit', '5 meters', "'v' parameter is invalid: expected JSON"],
    ['GPMultiValue:GPString', '[1,', "'v' parameter is invalid: it is not valid JSON"],
  ])('%s %s → 400 "%s"', (dataType, text, detail) => {
    expect(() => parse([input('v', dataType)], { v: text })).toThrow(expect.objectContaining({ code: 400, details: [detail] }));
  });
});

describe('parseTaskInputs: presence, defaults, choices, environment', () => {
  const parameters = [
    input('name', 'GPString', { required: true }),
    input('size', 'GPLong', { defaultValue: 10 }),
    input('mode', 'GPString', { choiceList: ['Fast', 'Slow'] }),
    input('note', 'GPString'),
    { ...input('out', 'GPString'), direction: 'output' as const },
  ];

  it.each<[Record<string, string>, Record<string, unknown>]>([
    [{ name: 'a' }, { name: 'a', size: 10 }],
    [{ NAME: 'a', size: '3', mode: 'slow' }, { name: 'a', size: 3, mode: 'Slow' }],
    [{ name: 'a', note: '' }, { name: 'a', size: 10 }],
    [{ name: 'a', out: 'ignored' }, { name: 'a', size: 10 }],
    [{ name: 'a', context: '{"outSR":{"wkid":4326}}' }, { name: 'a', size: 10, context: { outSR: { wkid: 4326 } } }],
    [{ name: 'a', 'env:outSR': '3857' }, { name: 'a', size: 10, context: { outSR: { wkid: 3857 } } }],
    [{ name: 'a', 'env:processSR': '{"wkid":102100}' }, { name: 'a', size: 10, context: { processSR: { wkid: 102100 } } }],
  ])('%j → %j', (values, expected) => {
    expect(parse(parameters, values)).toEqual(expected);
  });

  it.each<[Record<string, string>, string]>([
    [{}, "'name' parameter is required"],
    [{ name: 'a', mode: 'Medium' }, "'mode' parameter is invalid: 'Medium' is not one of Fast, Slow"],
    [{ name: 'a', context: '[1]' }, "'context' parameter is invalid: expected a JSON object"],
  ])('%j → 400 "%s"', (values, detail) => {
    let thrown: unknown;
    try {
      parse(parameters, values);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).details).toEqual([detail]);
  });
});
