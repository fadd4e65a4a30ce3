import { describe, expect, it } from 'vitest';
import { readIngestSettings, readParallelism } from './ingest-settings.js';

describe('readParallelism', () => {
  it.each([
    [undefined, 4, 4],
    ['', 4, 4],
    ['2', 4, 2],
    [3, 4, 3],
    ['60%', 10, 6],
    ['50 %', 2, 1],
    ['0', 4, 1],
    ['100', 2, 8],
  ])('%j on %i processors → %i', (value, processors, expected) => {
    expect(readParallelism(value, processors)).toBe(expected);
  });

  it('refuses text that is neither a count nor a percentage', () => {
    expect(() => readParallelism('lots', 2)).toThrow(/parallelProcessingFactor 'lots'/);
  });
});

describe('readIngestSettings', () => {
  it.each([
    [{ outSR: 3857 }, { outSR: { wkid: 3857 } }],
    ['{"outSR":{"wkid":102100,"latestWkid":3857}}', { outSR: { wkid: 102100, latestWkid: 3857 } }],
    [{ cellSize: 2.5 }, { cellSize: 2.5 }],
    [{ cellSize: 'maxof' }, { cellSize: 'MaxOfIn' }],
    [{ cellSize: 'MinOfIn' }, { cellSize: 'MinOfIn' }],
    [{ resamplingMethod: 'nearest' }, { resampling: 'near' }],
    [{ extent: { xmin: 0, ymin: 1, xmax: 2, ymax: 3, spatialReference: { wkid: 4326 } } }, { extent: { xmin: 0, ymin: 1, xmax: 2, ymax: 3, spatialReference: { wkid: 4326 } } }],
    [{ fields: [{ name: 'cloud_cover', type: 'Long' }] }, { fields: [{ name: 'cloud_cover', type: 'esriFieldTypeInteger', alias: 'cloud_cover' }] }],
    [{ footprintsArguments: { requestSize: 1000 } }, { footprintGrid: 1000 }],
    [{ unknownKey: true }, { footprintGrid: 256, fields: [] }],
  ])('%j', (context, expected) => {
    expect(readIngestSettings(context)).toMatchObject(expected);
  });

  it.each([
    [{ outSR: 'web mercator' }, /context\.outSR/],
    [{ extent: { xmin: 2, ymin: 0, xmax: 1, ymax: 1 } }, /context\.extent/],
    [{ cellSize: -1 }, /context\.cellSize/],
    [{ resamplingMethod: 'lanczos' }, /resamplingMethod/],
    [{ fields: [{ name: 'Name', type: 'String' }] }, /not a valid new field name/],
    [{ fields: [{ name: 'x', type: 'Blob' }] }, /unknown type/],
    ['{not json', /'context' is not valid JSON/],
  ])('refuses %j', (context, message) => {
    expect(() => readIngestSettings(context)).toThrow(message);
  });
});
