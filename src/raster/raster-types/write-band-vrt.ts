import { readFile, writeFile } from 'node:fs/promises';
import gdal from 'gdal-async';

export interface BandStackOptions {
  /** Written into each band's <Description> so the catalog and clients see band names. */
  bandNames?: string[];
  /** Source value to treat as nodata (and to write as the VRT's nodata). */
  noData?: number;
  /** `-resolution` for sources of different cell sizes (default: highest). */
  resolution?: 'highest' | 'lowest' | 'average';
}

/**
 * Stacks single-band files into one multi-band VRT (`gdalbuildvrt -separate`), band i taken from
 * file i. gdal-async cannot set band descriptions on a VRT, so names are added to the XML.
 */
export async function writeBandStackVrt(vrtPath: string, files: string[], options: BandStackOptions = {}): Promise<void> {
  const args = ['-separate', '-resolution', options.resolution ?? 'highest'];
  if (options.noData !== undefined) args.push('-srcnodata', String(options.noData), '-vrtnodata', String(options.noData));
  const dataset = await gdal.buildVRTAsync(vrtPath, files, args);
  dataset.close();
  if (options.bandNames) await nameVrtBands(vrtPath, options.bandNames);
}

/** Adds `<Description>` to each `<VRTRasterBand>` of a VRT file, in band order. */
export async function nameVrtBands(vrtPath: string, names: string[]): Promise<void> {
  const xml = await readFile(vrtPath, 'utf8');
  let index = 0;
  const named = xml.replace(/(<VRTRasterBand\b[^>]*>)(\s*<Description>[^<]*<\/Description>)?/g, (_all, open: string) => {
    const name = names[index++];
    return name === undefined ? open : `${open}\n    <Description>${escapeXml(name)}</Description>`;
  });
  await writeFile(vrtPath, named);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
