import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openStores } from '../store/index.js';
import { publishFile } from './publish/publish-file.js';
import type { SourceFormat } from './publish/vector-source.js';

export const IMPORT_USAGE = 'tessera import <file> --service <name> [--owner admin] [--format geojson|csv|shapefile|geopackage] [--public] [--data ./data]';

const EXTENSIONS: Record<string, SourceFormat> = {
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.csv': 'csv',
  '.zip': 'shapefile',
  '.gpkg': 'geopackage',
};

/**
 * `tessera import`: publishes a vector file as the hosted feature service `Hosted/<name>`, owned
 * by an administrator (the configured one by default), straight into the data directory; a
 * running server sees it on its next request.
 */
export async function runImportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      owner: { type: 'string' },
      format: { type: 'string' },
      public: { type: 'boolean' },
      data: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || !values.service) throw new Error(`Usage: ${IMPORT_USAGE}`);
  const format = (values.format?.toLowerCase() ?? EXTENSIONS[path.extname(file).toLowerCase()]) as SourceFormat | undefined;
  if (!format || !Object.values(EXTENSIONS).includes(format)) throw new Error(`Cannot tell the format of ${file}: give --format`);
  const config = loadConfig(values.data ? { dataDir: values.data } : {});
  const stores = await openStores(config);
  const features = stores.features;
  try {
    const owner = values.owner ?? config.admin.username;
    const user = await stores.users.get(owner);
    if (!user || user.role !== 'administrator') throw new Error(`'${owner}' is not an administrator of this server`);
    const baseUrl = config.publicUrl || `http://${config.host}:${config.port}${config.basePath}`;
    const created = await publishFile(
      { config, stores, features },
      { owner: user.username, file: path.resolve(file), format, name: values.service, baseUrl, access: values.public ? 'public' : 'private' },
    );
    const counts = created.definition.layers.map((l) => `${l.name} (${l.geometryType})`).join(', ');
    console.log(`Imported ${file} as ${created.url}${counts ? `: ${counts}` : ''}`);
  } finally {
    await stores.close();
  }
}
