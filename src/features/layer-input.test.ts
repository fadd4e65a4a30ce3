import { describe, expect, it } from 'vitest';
import { normalizeLayerInput } from './layer-input.js';

const context = { id: 3, serviceSpatialReference: { wkid: 102100, latestWkid: 3857 }, asTable: false };

describe('normalizeLayerInput', () => {
  it('completes a minimal layer: OID added, SR from the service, renderer and template', () => {
    const layer = normalizeLayerInput({ name: 'Wells', geometryType: 'esriGeometryPoint', fields: [{ name: 'NAME', type: 'esriFieldTypeString' }] }, context);
    expect(layer).toMatchObject({
      id: 3,
      name: 'Wells',
      type: 'Feature Layer',
      objectIdField: 'OBJECTID',
      globalIdField: '',
      displayField: 'NAME',
      spatialReference: { wkid: 102100, latestWkid: 3857 },
      hasZ: false,
      templates: [{ name: 'Wells', drawingTool: 'esriFeatureEditToolPoint' }],
    });
    expect(layer.fields.map((f) => [f.name, f.type, f.length, f.nullable, f.editable])).toEqual([
      ['OBJECTID', 'esriFieldTypeOID', undefined, false, false],
      ['NAME', 'esriFieldTypeString', 256, true, true],
    ]);
  });

  it('keeps the declared OID and GlobalID fields, the extent SR and indexes', () => {
    const layer = normalizeLayerInput(
      {
        name: 'Parcels',
        geometryType: 'esriGeometryPolygon',
        extent: { xmin: 0, ymin: 0, xmax: 1, ymax: 1, spatialReference: { wkid: 2263 } },
        fields: [
          { name: 'FID', type: 'esriFieldTypeOID' },
          { name: 'GID', type: 'esriFieldTypeGlobalID' },
          { name: 'AREA', type: 'esriFieldTypeDouble', nullable: false },
        ],
        indexes: [{ fields: 'AREA', isUnique: false }, { fields: 'FID' }, { fields: 'Shape' }],
      },
      context,
    );
    expect(layer).toMatchObject({ objectIdField: 'FID', globalIdField: 'GID', spatialReference: { wkid: 2263 } });
    expect(layer.indexes).toEqual([{ name: 'AREA_idx', fields: 'AREA', isAscending: true, isUnique: false, description: '' }]);
  });

  it('makes a table of a layer without geometry when asked', () => {
    expect(normalizeLayerInput({ name: 'T' }, { ...context, asTable: true })).toMatchObject({ type: 'Table', displayField: '' });
  });

  it.each([
    [{ name: 'x' }, 'geometryType is required'],
    [{ geometryType: 'esriGeometryMultipatch' }, 'not supported'],
    [{ geometryType: 'esriGeometryPoint', fields: [{ name: 'SHAPE', type: 'esriFieldTypeString' }] }, 'reserved'],
    [{ geometryType: 'esriGeometryPoint', fields: [{ name: 'a;b', type: 'esriFieldTypeString' }] }, 'not allowed'],
    [{ geometryType: 'esriGeometryPoint', fields: [{ name: 'A', type: 'esriFieldTypeInteger' }, { name: 'a', type: 'esriFieldTypeString' }] }, 'used twice'],
    [{ geometryType: 'esriGeometryPoint', fields: [{ name: 'A', type: 'esriFieldTypeOID' }, { name: 'B', type: 'esriFieldTypeOID' }] }, 'exactly one'],
    [{ geometryType: 'esriGeometryPoint', objectIdField: 'A', fields: [{ name: 'A', type: 'esriFieldTypeString' }] }, 'must be of type'],
    [{ geometryType: 'esriGeometryPoint', indexes: [{ fields: 'NOPE' }] }, 'not a field'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(() => normalizeLayerInput(input, context)).toThrow(expect.objectContaining({ code: 400, details: [expect.stringContaining(problem)] }));
  });
});
