import type { TestServer } from '../helpers/test-server.js';
import type { CreatedService, EditsAnswer, FeatureSet, SuccessAnswer } from '../helpers/answers.js';

/** Fields of the test points layer. */
export const POINT_FIELDS = [
  { name: 'NAME', type: 'esriFieldTypeString', alias: 'Name', length: 40 },
  { name: 'POP', type: 'esriFieldTypeInteger', alias: 'Population' },
  { name: 'CAT', type: 'esriFieldTypeString', length: 1 },
  { name: 'RATIO', type: 'esriFieldTypeDouble' },
  { name: 'WHEN', type: 'esriFieldTypeDate' },
  { name: 'GlobalID', type: 'esriFieldTypeGlobalID' },
];

/** A 10 × 10 grid of points at whole degrees (x, y ∈ 0…9), POP = 10·y + x, CAT A for even x. */
export function gridFeatures(): Array<{ attributes: Record<string, unknown>; geometry: { x: number; y: number } }> {
  const features = [];
  for (let y = 0; y < 10; y++) {
    for (let x = 0; x < 10; x++) {
      features.push({
        attributes: { NAME: `p${x}_${y}`, POP: 10 * y + x, CAT: x % 2 === 0 ? 'A' : 'B', RATIO: x / 4, WHEN: Date.UTC(2020, 0, 1 + y) },
        geometry: { x, y },
      });
    }
  }
  return features;
}

/** createService + addToDefinition, as clients do; returns the service URL path below the base. */
export async function createService(
  server: TestServer,
  token: string,
  name: string,
  addToDefinition: { layers?: unknown[]; tables?: unknown[] },
  parameters: Record<string, unknown> = {},
  owner = 'admin',
): Promise<string> {
  const created = await server.post<CreatedService>(`/sharing/rest/content/users/${owner}/createService`, {
    f: 'json',
    token,
    outputType: 'featureService',
    createParameters: JSON.stringify({ name, spatialReference: { wkid: 4326 }, ...parameters }),
  });
  if (!created.success) throw new Error(`createService failed: ${JSON.stringify(created)}`);
  const added = await server.post<SuccessAnswer>(`/rest/admin/services/Hosted/${name}/FeatureServer/addToDefinition`, {
    f: 'json',
    token,
    addToDefinition: JSON.stringify(addToDefinition),
  });
  if (!added.success) throw new Error(`addToDefinition failed: ${JSON.stringify(added)}`);
  return `/rest/services/Hosted/${name}/FeatureServer`;
}

/** A service with the 100-point grid in layer 0 (WGS84). */
export async function createGridService(server: TestServer, token: string, name: string, parameters: Record<string, unknown> = {}): Promise<string> {
  const url = await createService(
    server,
    token,
    name,
    { layers: [{ name: 'Grid', geometryType: 'esriGeometryPoint', fields: POINT_FIELDS, extent: { xmin: 0, ymin: 0, xmax: 9, ymax: 9, spatialReference: { wkid: 4326 } } }] },
    parameters,
  );
  const added = await server.post<EditsAnswer>(`${url}/0/addFeatures`, { f: 'json', token, features: JSON.stringify(gridFeatures()) });
  if (added.addResults?.length !== 100) throw new Error(`addFeatures failed: ${JSON.stringify(added).slice(0, 300)}`);
  return url;
}

/** GET with query parameters (token included when given), parsed as JSON (a feature set unless `T` says otherwise). */
export function query<T = FeatureSet>(server: TestServer, path: string, params: Record<string, string | number | boolean>): Promise<T> {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return server.get<T>(`${path}?${search}`);
}

export function ids(result: { features: Array<{ attributes: Record<string, unknown> }> }, field = 'OBJECTID'): number[] {
  return result.features.map((f) => f.attributes[field] as number).sort((a, b) => a - b);
}

/** OBJECTID of the grid point (x, y): rows were added in y-major order from 1. */
export function gridId(x: number, y: number): number {
  return 10 * y + x + 1;
}
