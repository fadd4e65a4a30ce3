import { describe, expect, it } from 'vitest';
import { rewriteVrt } from './shared-recipes.js';

const LOCAL = '/scratch/j1/recipes';
const SHARED = '/vsis3/b/p/c/j1/recipes';
const shared = (file: string) => (file === LOCAL || file.startsWith(`${LOCAL}/`) ? `${SHARED}${file.slice(LOCAL.length)}` : file);

describe('rewriteVrt', () => {
  it('makes relative references absolute and points references to sibling recipes at their objects', () => {
    const xml = [
      '<SourceFilename relativeToVRT="1">../../../share/a&amp;b.tif</SourceFilename>',
      '<SourceFilename relativeToVRT="1">band.vrt</SourceFilename>',
      '<SourceDataset relativeToVRT="0">/share/c.tif</SourceDataset>',
      '<SourceFilename relativetoVRT="0" shared="0">/scratch/j1/recipes/dem.vrt</SourceFilename>',
      '<MDI key="x">/scratch/j1/recipes/other.vrt</MDI>',
    ].join('\n');
    expect(rewriteVrt(xml, LOCAL, LOCAL, shared).split('\n')).toEqual([
      '<SourceFilename relativeToVRT="0">/share/a&amp;b.tif</SourceFilename>',
      `<SourceFilename relativeToVRT="0">${SHARED}/band.vrt</SourceFilename>`,
      '<SourceDataset relativeToVRT="0">/share/c.tif</SourceDataset>',
      `<SourceFilename relativeToVRT="0" shared="0">${SHARED}/dem.vrt</SourceFilename>`,
      `<MDI key="x">${SHARED}/other.vrt</MDI>`,
    ]);
  });
});
