import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { readOutputRows, analysisResults } from '../helpers/analysis-server.js';

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

  it('fails plainly on geographic features', async () => {
    const geographic = { ...featureSet, spatialReference: { wkid: 4326 }, features: [{ geometry: { x: -117, y: 34 }, attributes: { OBJECTID: 1 } }] };
    await expect(analysisResults(server, token, 'CalculateDensity', { inputPointOrLineFeatures: geographic, outputName: 'geo_density' })).rejects.toThrow(/projected spatial reference/);
  });
});
