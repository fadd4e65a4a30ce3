import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAdministrator, existingUser, withDataDirectory } from './cli-context.js';
import { UserError } from './user-error.js';
import { publishFile } from '../features/publish/publish-file.js';
import type { SourceFormat } from '../features/publish/vector-source.js';

const EXTENSIONS: Record<string, SourceFormat> = {
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.csv': 'csv',
  '.zip': 'shapefile',
  '.shp': 'shapefile',
  '.gpkg': 'geopackage',
};
const FORMATS = [...new Set(Object.values(EXTENSIONS))];

/**
 * `tessera import`: publishes a vector file as the hosted feature service `Hosted/<name>`, owned
 * by an administrator (the configured one by default) or the publisher given, straight into the
 * data directory; a running server sees it on its next request.
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
  if (!file) throw new UserError("Which file? 'tessera import <file> --service <name>'.");
  if (!values.service) throw new UserError(`Name the service: 'tessera import ${file} --service <name>'.`);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`There is no file ${file}.`);
  const format = (values.format?.toLowerCase() ?? EXTENSIONS[path.extname(file).toLowerCase()]) as SourceFormat | undefined;
  if (!format || !FORMATS.includes(format)) {
    throw new UserError(`Cannot import ${values.format ? `the format '${values.format}'` : `a '${path.extname(file) || 'extension-less'}' file`}: give --format ${FORMATS.join('|')}.`);
  }
  await withDataDirectory(values.data, async (context) => {
    const { config, stores } = context;
    const user = values.owner ? await existingUser(context, values.owner) : await defaultAdministrator(context);
    if (user.role === 'user') throw new UserError(`'${user.username}' may not publish: give --owner a publisher or administrator.`);
    const features = stores.features;
    const baseUrl = config.publicUrl || `http://${config.host}:${config.port}${config.basePath}`;
    const created = await publishFile(
      { config, stores, features },
      {
        owner: user.username,
        file: path.resolve(file),
        format,
        name: values.service!,
        baseUrl,
        access: values.public ? 'public' : 'private',
        onProgress: progressPrinter(),
      },
    );
    const counts = created.definition.layers.map((l) => `${l.name} (${l.geometryType})`).join(', ');
    console.log(`Imported ${file} as ${created.url}${counts ? `: ${counts}` : ''}`);
  });
}

/** Progress on stderr for files worth waiting on: a line every 10 % (rewritten in place on a terminal). */
function progressPrinter(): (layer: string, loaded: number, total: number) => void {
  let lastTenth = -1;
  return (layer, loaded, total) => {
    if (total < 10_000) return;
    const tenth = Math.floor((loaded / total) * 10);
    if (tenth === lastTenth && loaded < total) return;
    lastTenth = tenth;
    const line = `${layer}: ${loaded.toLocaleString('en')} of ${total.toLocaleString('en')} features`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${loaded >= total ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}
