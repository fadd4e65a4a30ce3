import type { AppContext } from '../context.js';
import { applyLayerEdits } from './apply-edits.js';
import { ensureFeatureStore } from './feature-deps.js';
import { addToServiceDefinition, createHostedService } from './hosted-services.js';
import { layerModelOf } from './layer-model.js';

const MARKER = 'demo.features.created';
export const DEMO_SERVICE = 'WorldPlaces';

/** [name, country, population (thousands, metro, rounded), capital, longitude, latitude] */
const PLACES: Array<[string, string, number, boolean, number, number]> = [
  ['Tokyo', 'Japan', 37400, true, 139.6917, 35.6895],
  ['Delhi', 'India', 31200, true, 77.209, 28.6139],
  ['Shanghai', 'China', 27100, false, 121.4737, 31.2304],
  ['São Paulo', 'Brazil', 22000, false, -46.6333, -23.5505],
  ['Mexico City', 'Mexico', 21800, true, -99.1332, 19.4326],
  ['Cairo', 'Egypt', 21300, true, 31.2357, 30.0444],
  ['Mumbai', 'India', 20700, false, 72.8777, 19.076],
  ['Beijing', 'China', 20500, true, 116.4074, 39.9042],
  ['Dhaka', 'Bangladesh', 21700, true, 90.4125, 23.8103],
  ['Osaka', 'Japan', 19100, false, 135.5023, 34.6937],
  ['New York', 'United States', 18800, false, -74.006, 40.7128],
  ['Karachi', 'Pakistan', 16500, false, 67.0011, 24.8607],
  ['Buenos Aires', 'Argentina', 15200, true, -58.3816, -34.6037],
  ['Istanbul', 'Turkey', 15400, false, 28.9784, 41.0082],
  ['Kolkata', 'India', 14900, false, 88.3639, 22.5726],
  ['Manila', 'Philippines', 14200, true, 120.9842, 14.5995],
  ['Lagos', 'Nigeria', 14900, false, 3.3792, 6.5244],
  ['Rio de Janeiro', 'Brazil', 13500, false, -43.1729, -22.9068],
  ['Kinshasa', 'DR Congo', 14300, true, 15.2663, -4.4419],
  ['Los Angeles', 'United States', 12500, false, -118.2437, 34.0522],
  ['Moscow', 'Russia', 12600, true, 37.6173, 55.7558],
  ['Paris', 'France', 11100, true, 2.3522, 48.8566],
  ['Bogotá', 'Colombia', 11000, true, -74.0721, 4.711],
  ['Jakarta', 'Indonesia', 10900, true, 106.8456, -6.2088],
  ['Lima', 'Peru', 10700, true, -77.0428, -12.0464],
  ['Bangkok', 'Thailand', 10500, true, 100.5018, 13.7563],
  ['Seoul', 'South Korea', 9900, true, 126.978, 37.5665],
  ['London', 'United Kingdom', 9300, true, -0.1276, 51.5072],
  ['Tehran', 'Iran', 9100, true, 51.389, 35.6892],
  ['Chicago', 'United States', 8900, false, -87.6298, 41.8781],
  ['Luanda', 'Angola', 8300, true, 13.2344, -8.8383],
  ['Kuala Lumpur', 'Malaysia', 7900, true, 101.6869, 3.139],
  ['Santiago', 'Chile', 6800, true, -70.6693, -33.4489],
  ['Madrid', 'Spain', 6600, true, -3.7038, 40.4168],
  ['Nairobi', 'Kenya', 4700, true, 36.8219, -1.2921],
  ['Toronto', 'Canada', 6200, false, -79.3832, 43.6532],
  ['Berlin', 'Germany', 3600, true, 13.405, 52.52],
  ['Sydney', 'Australia', 5300, false, 151.2093, -33.8688],
  ['Cape Town', 'South Africa', 4700, false, 18.4241, -33.9249],
  ['Reykjavík', 'Iceland', 140, true, -21.8174, 64.1265],
  ['Wellington', 'New Zealand', 420, true, 174.7762, -41.2865],
  ['Anchorage', 'United States', 290, false, -149.9003, 61.2181],
];

/**
 * The demo content of a first start: a public hosted feature layer of world cities (points,
 * Web Mercator, with a coded-value domain), owned by the administrator. Created once; a marker in
 * the settings keeps it from coming back after an administrator deletes it.
 */
export async function ensureDemoFeatures(context: AppContext, serverUrl: string): Promise<void> {
  if (!context.config.demo || (await context.stores.settings.get(MARKER))) return;
  const deps = ensureFeatureStore(context);
  const baseUrl = context.config.publicUrl || serverUrl;
  if (!(await context.stores.services.get('Hosted', DEMO_SERVICE, 'FeatureServer'))) {
    const created = await createHostedService(deps, {
      owner: context.config.admin.username,
      baseUrl,
      title: 'World places (demo)',
      tags: ['demo'],
      access: 'public',
      parameters: { name: DEMO_SERVICE, serviceDescription: 'Large cities of the world: a demo layer.', capabilities: 'Query', spatialReference: { wkid: 102100, latestWkid: 3857 } },
    });
    const service = { record: created.record, definition: created.definition, item: created.item };
    const [layer] = await addToServiceDefinition(deps, service, { layers: [DEMO_LAYER] });
    const adds = PLACES.map(([NAME, COUNTRY, POP_THOUSANDS, capital, x, y]) => ({
      attributes: { NAME, COUNTRY, POP_THOUSANDS, CAPITAL: capital ? 1 : 0 },
      geometry: { x, y, spatialReference: { wkid: 4326 } },
    }));
    const model = layerModelOf(service.definition, layer!);
    await applyLayerEdits(deps.features, service.definition.dataset, [{ model, adds }], { rollbackOnFailure: true, useGlobalIds: false, allowGeometryUpdates: true });
  }
  await context.stores.settings.set(MARKER, new Date().toISOString());
}

const DEMO_LAYER = {
  name: 'Places',
  geometryType: 'esriGeometryPoint',
  spatialReference: { wkid: 102100, latestWkid: 3857 },
  displayField: 'NAME',
  fields: [
    { name: 'NAME', type: 'esriFieldTypeString', alias: 'Name', length: 80, nullable: false },
    { name: 'COUNTRY', type: 'esriFieldTypeString', alias: 'Country', length: 80 },
    { name: 'POP_THOUSANDS', type: 'esriFieldTypeInteger', alias: 'Population (thousands)' },
    {
      name: 'CAPITAL',
      type: 'esriFieldTypeSmallInteger',
      alias: 'Capital',
      defaultValue: 0,
      domain: { type: 'codedValue', name: 'YesNo', codedValues: [{ name: 'No', code: 0 }, { name: 'Yes', code: 1 }] },
    },
    { name: 'GlobalID', type: 'esriFieldTypeGlobalID', alias: 'GlobalID' },
  ],
};
