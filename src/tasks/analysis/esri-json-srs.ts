import gdal from 'gdal-async';

/**
 * The spatial reference OGR's Esri JSON reader gives a feature set whose `spatialReference` is a
 * `wkt`: it searches PROJ's database for a match (FindBestMatch) on every open, ~0.2 s of CPU
 * for a WKT that matches nothing (a GeoTIFF's own WKT2, say), a few ms for one that does. Asked
 * here of an empty feature set in memory, once per WKT and process, so that a task can read its
 * features from a copy without the spatial reference meanwhile (`resolveFeatureInput`'s
 * `wktApart`). The answer is the layer's SRS as WKT, or null when OGR could not read it.
 */
export function esriJsonSrs(wkt: string): Promise<string | null> {
  let answer = answers.get(wkt);
  if (!answer) {
    if (answers.size >= MAX_ANSWERS) answers.delete(answers.keys().next().value!);
    answer = readSrs(wkt);
    answers.set(wkt, answer);
  }
  return answer;
}

const MAX_ANSWERS = 64;
const answers = new Map<string, Promise<string | null>>();
let files = 0;

async function readSrs(wkt: string): Promise<string | null> {
  const file = `/vsimem/esri-json-srs-${process.pid}-${++files}.json`;
  gdal.vsimem.set(Buffer.from(JSON.stringify({ geometryType: 'esriGeometryPoint', spatialReference: { wkt }, fields: [], features: [] })), file);
  try {
    const dataset = await gdal.openAsync(file);
    try {
      return dataset.layers.get(0).srs?.toWKT() ?? null;
    } finally {
      dataset.close();
    }
  } catch {
    return null;
  } finally {
    gdal.vsimem.release(file);
  }
}
