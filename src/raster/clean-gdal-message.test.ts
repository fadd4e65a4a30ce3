import { describe, expect, it } from 'vitest';
import { cleanGdalMessage } from './clean-gdal-message.js';

describe('cleanGdalMessage', () => {
  it.each([
    ['ERROR 4: /srv/data/uploads/abc/scene.tif: No such file or directory', 'scene.tif: No such file or directory'],
    ["ERROR 4: `/tmp/x/y/bad.tif' not recognized as a supported file format.", "`bad.tif' not recognized as a supported file format."],
    [
      'Warning 1: something minor\nERROR 1: PROJ: proj_create: unknown\nERROR 1: Translating source or target SRS failed:\nEPSG:99',
      'PROJ: proj_create: unknown; Translating source or target SRS failed:',
    ],
    ['0...10...20...30\nERROR 1: TIFFAppendToStrip:Write error at scanline 3', 'TIFFAppendToStrip:Write error at scanline 3'],
    ['Input file size is 349, 352\n0...10...20', 'Input file size is 349, 352'],
    ['ERROR 1: SENTINEL2_L1C:/data/in/S2.SAFE/MTD_MSIL1C.xml:10m:EPSG_32632 failed', 'SENTINEL2_L1C:MTD_MSIL1C.xml:10m:EPSG_32632 failed'],
    ['ERROR 1: /vsimem/tessera/3f/x.vrt is broken', 'x.vrt is broken'],
    ['Warning 1: only a warning', 'GDAL failed'],
    ['', 'GDAL failed'],
  ])('%j → %j', (input, expected) => {
    expect(cleanGdalMessage(input)).toBe(expected);
  });

  it('caps long messages', () => {
    expect(cleanGdalMessage(`ERROR 1: ${'x'.repeat(500)}`)).toHaveLength(300);
  });
});
