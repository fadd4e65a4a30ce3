import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { readOutputRows, analysisResults, outputRasterPath } from '../helpers/analysis-server.js';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token();
});
afterAll(async () => server?.close());

// Four weighted points in UTM 11N on a 1 km square.
const POINTS = [
  { x: 500000, y: 4000000, people: 10 },
  { x: 501000, y: 4000000, people: 20 },
  { x: 500000, y: 4001000, people: 5 },
  { x: 500730, y: 4000410, people: 40 },
];
const featureSet = {
  geometryType: 'esriGeometryPoint',
  spatialReference: { wkid: 32611 },
  features: POINTS.map((p, i) => ({ geometry: { x: p.x, y: p.y }, attributes: { OBJECTID: i + 1, people: p.people } })),
};

/** ArcGIS's kernel density at (x, y), per square kilometre: Σ 3/(π r²) · w · (1 − (d/r)²)². */
function expectedDensity(x: number, y: number, radius: number, weight: (p: (typeof POINTS)[number]) => number): number {
  let sum = 0;
  for (const p of POINTS) {
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < radius) sum += (3 / (Math.PI * radius * radius)) * weight(p) * (1 - (d / radius) ** 2) ** 2;
  }
  return sum * 1e6;
}

describe('CalculateDensity over HTTP with arcgis-rest-js Job', () => {
  it('spreads the count field with the quartic kernel, per square kilometre', async () => {
    const results = await analysisResults(server, token, 'CalculateDensity', {
      inputPointOrLineFeatures: featureSet,
      countField: 'people',
      searchDistance: { distance: 0.6, units: 'Kilometers' },
      outputCellSize: { distance: 50, units: 'Meters' },
      outputAreaUnits: 'SquareKilometers',
      outputName: 'people_density',
    });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/people_density/ImageServer`);
    const rows = await readOutputRows(server, 'people_density');
    expect(rows.length).toBe(20);
    expect(rows[0]!.length).toBe(20);
    let checked = 0;
    for (let r = 0; r < 20; r += 3) {
      for (let c = 0; c < 20; c += 3) {
        const expected = expectedDensity(500000 + 25 + 50 * c, 4001000 - 25 - 50 * r, 600, (p) => p.people);
        expect(rows[r]![c]).toBeCloseTo(expected, 2);
        checked++;
      }
    }
    expect(checked).toBe(49);
  });

  it('counts each point once without a count field, per square mile', async () => {
    await analysisResults(server, token, 'CalculateDensity', {
      inputPointOrLineFeatures: featureSet,
      searchDistance: { distance: 600, units: 'Meters' },
      outputCellSize: { distance: 100, units: 'Meters' },
      outputAreaUnits: 'SquareMiles',
      outputName: 'point_density',
    });
    const rows = await readOutputRows(server, 'point_density');
    const perMile2 = 1609.344 ** 2 / 1e6;
    expect(rows[5]![7]).toBeCloseTo(expectedDensity(500750, 4000450, 600, () => 1) * perMile2, 2);
  });

  it('reads a `wkt` spatial reference as OGR does: the same surface, in the SRS OGR names it (EPSG when PROJ matches it, else as written)', async () => {
    const esri = gdal.SpatialReference.fromEPSG(32611);
    esri.morphToESRI();
    // What a GeoTIFF's own WKT2 can be: UTM 11N on an unnamed GRS80 datum, which PROJ matches with nothing.
    const unnamed = gdal.SpatialReference.fromProj4('+proj=utm +zone=11 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs').toWKT();
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-density-srs-'));
    try {
      for (const [name, wkt] of [['esri_wkt_density', esri.toWKT()], ['unnamed_wkt_density', unnamed]] as const) {
        await analysisResults(server, token, 'CalculateDensity', {
          inputPointOrLineFeatures: { ...featureSet, spatialReference: { wkt } },
          countField: 'people',
          searchDistance: { distance: 0.6, units: 'Kilometers' },
          outputCellSize: { distance: 50, units: 'Meters' },
          outputName: name,
        });
        const rows = await readOutputRows(server, name);
        expect(rows[4]![6]).toBeCloseTo(expectedDensity(500000 + 25 + 50 * 6, 4001000 - 25 - 50 * 4, 600, (p) => p.people), 2);
        // The SRS the task made the surface in before: OGR's reading of the Esri JSON, through a GeoTIFF.
        const file = path.join(dir, `${name}.json`);
        writeFileSync(file, JSON.stringify({ ...featureSet, spatialReference: { wkt }, fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'people', type: 'esriFieldTypeInteger' }] }));
        const features = gdal.open(file);
        const reference = gdal.open(path.join(dir, `${name}.tif`), 'w', 'GTiff', 1, 1, 1, 'Float32');
        reference.srs = gdal.SpatialReference.fromWKT(features.layers.get(0).srs!.toWKT());
        features.close();
        reference.close();
        const [stored, expected] = [await outputRasterPath(server, name), path.join(dir, `${name}.tif`)].map((f) => {
          const dataset = gdal.open(f);
          const wktOut = dataset.srs!.toWKT();
          dataset.close();
          return wktOut;
        });
        expect(stored).toBe(expected);
        if (name === 'esri_wkt_density') expect(stored).toContain('AUTHORITY["EPSG","32611"]');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails plainly on geographic features', async () => {
    const geographic = { ...featureSet, spatialReference: { wkid: 4326 }, features: [{ geometry: { x: -117, y: 34 }, attributes: { OBJECTID: 1 } }] };
    await expect(analysisResults(server, token, 'CalculateDensity', { inputPointOrLineFeatures: geographic, outputName: 'geo_density' })).rejects.toThrow(/projected spatial reference/);
  });
});
