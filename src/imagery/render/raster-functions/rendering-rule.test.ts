import { describe, expect, it } from 'vitest';
import { namesRaster, parseRenderingRule } from './rendering-rule.js';

const service = 'https://me.example/arcgis/rest/services/Hosted/dem/ImageServer';

describe('parseRenderingRule: other rasters on the fly', () => {
  it.each([
    [{ url: service }, true],
    [service, true],
    [`${service}/3`, true],
    ['/arcgis/rest/services/Hosted/dem/ImageServer', true],
    [{ itemId: '0123456789abcdef0123456789abcdef' }, true],
    [{ uri: '/share/a.tif' }, true],
    ['$$', false],
    [{ variable: 'Raster' }, false],
    [{ url: '' }, false],
    [12, false],
  ])('namesRaster(%j) is %s', (value, expected) => {
    expect(namesRaster(value)).toBe(expected);
  });

  it('numbers the rasters a rule names from 1 (the same one once), in order of appearance', () => {
    const rule = parseRenderingRule({
      rasterFunction: 'Local',
      rasterFunctionArguments: { Operation: 1, Rasters: ['$$', { url: service }, `${service}/3`, { url: service }, 7] },
    })!;
    expect(rule.rasterInputs).toEqual([{ url: service }, `${service}/3`]);
    expect(rule.rasters).toEqual([{ source: 0 }, { source: 1 }, { source: 2 }, { source: 1 }, { constant: 7 }]);
  });

  it('reads ClippingRaster as a raster (a function, the block, or another raster) unless a geometry is given', () => {
    const other = parseRenderingRule({ rasterFunction: 'Clip', rasterFunctionArguments: { ClippingRaster: { itemId: 'a'.repeat(32) } } })!;
    expect([other.clippingRaster, other.rasterInputs]).toEqual([{ source: 1 }, [{ itemId: 'a'.repeat(32) }]]);
    const ofItself = parseRenderingRule({ rasterFunction: 'Clip', rasterFunctionArguments: { ClippingRaster: { rasterFunction: 'Mask', rasterFunctionArguments: { IncludedRanges: [0, 1] } } } })!;
    expect(ofItself.clippingRaster).toMatchObject({ rule: { name: 'Mask' } });
    const geometry = parseRenderingRule({ rasterFunction: 'Clip', rasterFunctionArguments: { ClippingGeometry: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 }, ClippingRaster: { url: service } } })!;
    expect([geometry.clippingRaster, geometry.rasterInputs]).toEqual([undefined, undefined]);
    expect(() => parseRenderingRule({ rasterFunction: 'Clip', rasterFunctionArguments: { ClippingRaster: 5 } })).toThrow();
  });

  it('keeps values that name no raster meaning the service itself, and refuses them in Rasters as before', () => {
    const rule = parseRenderingRule({ rasterFunction: 'Slope', rasterFunctionArguments: { Raster: { variable: 'Raster' } } })!;
    expect([rule.source, rule.rasterInputs]).toEqual([undefined, undefined]);
    expect(() => parseRenderingRule({ rasterFunction: 'Local', rasterFunctionArguments: { Rasters: ['$$', { variable: 'x' }] } })).toThrow();
  });

  it('leaves the numbering to GenerateRaster when it gives one', () => {
    const seen: unknown[] = [];
    const rule = parseRenderingRule({ rasterFunction: 'Clip', rasterFunctionArguments: { Raster: { uri: '/a.tif' }, ClippingRaster: { uri: '/b.tif' } } }, { source: (v) => seen.push(v) - 1 })!;
    expect(seen).toEqual([{ uri: '/a.tif' }, { uri: '/b.tif' }]);
    expect([rule.source, rule.clippingRaster, rule.rasterInputs]).toEqual([undefined, { source: 1 }, undefined]);
  });
});
