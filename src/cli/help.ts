import { readFileSync } from 'node:fs';
import { FULL_VERSION } from '../directory/version.js';

/** One entry per command: its synopsis, what it does, and examples to copy. */
const COMMANDS: Record<string, { usage: string[]; about: string; examples: string[] }> = {
  serve: {
    usage: ['tessera serve [--port 6080] [--host 127.0.0.1] [--data ./data] [--processes 1]'],
    about: 'Serves the ArcGIS REST API (with --processes N, N HTTP processes on one port). The first start creates the administrator (its password is printed once) and the demo content (TESSERA_DEMO=false: none).',
    examples: ['tessera serve', 'TESSERA_ADMIN_USER=gis TESSERA_ADMIN_PASSWORD=s3cret-pass tessera serve --port 8080 --data /srv/tessera'],
  },
  worker: {
    usage: ['tessera worker [--data ./data]'],
    about: 'Runs job workers only, no HTTP: a node of a cluster sharing PostgreSQL (TESSERA_STORE=postgres) and the raster store.',
    examples: ['TESSERA_STORE=postgres TESSERA_POSTGRES_URL=postgres://tessera@db/tessera tessera worker'],
  },
  import: {
    usage: ['tessera import <file> --service <name> [--owner <user>] [--format geojson|csv|shapefile|geopackage] [--public] [--data ./data]'],
    about: 'Publishes a GeoJSON, CSV (with x/y or longitude/latitude columns), Shapefile (.shp or zipped) or GeoPackage as the hosted feature service Hosted/<name>, owned by the administrator unless --owner says otherwise.',
    examples: ['tessera import places.geojson --service places --public', 'tessera import parcels.zip --service parcels --owner ana'],
  },
  user: {
    usage: [
      'tessera user add <username> [--role user|publisher|administrator] [--password-stdin | --password <pw>] [--full-name <text>] [--email <address>]',
      'tessera user passwd <username> [--password-stdin | --password <pw>]',
      'tessera user list [--json]',
      'tessera user remove <username>',
    ],
    about: 'Manages the built-in users. Without a password one is generated and printed once. passwd also ends the sessions of every token issued before. remove refuses users who still own items or services, and the last administrator.',
    examples: ['tessera user add ana --role publisher', "echo 'a-long-passphrase' | tessera user passwd admin --password-stdin", 'tessera user list'],
  },
  token: {
    usage: ['tessera token [--user <username>] [--expiration <minutes>] [--referer <url>] [--data ./data]'],
    about: "Prints a token (administrator's by default) for scripts, signed with the data directory's secret: no password is asked.",
    examples: [
      'TOKEN=$(tessera token --expiration 120)',
      'curl -s "http://127.0.0.1:6080/arcgis/rest/services?f=json&token=$TOKEN"',
    ],
  },
  help: { usage: ['tessera help [command]', 'tessera --version'], about: 'Shows this text, or one command in full.', examples: ['tessera help import'] },
};

export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

/** `tessera help` (everything) or `tessera help <command>`. */
export function helpText(command?: string): string {
  const names = command && COMMANDS[command] ? [command] : Object.keys(COMMANDS);
  const sections = names.map((name) => {
    const entry = COMMANDS[name]!;
    return [...entry.usage.map((u) => `  ${u}`), `      ${entry.about}`, ...entry.examples.map((e) => `      $ ${e}`)].join('\n');
  });
  const footer =
    'Every command takes --data (default ./data, or TESSERA_DATA_DIR). Settings: --port/TESSERA_PORT, TESSERA_ADMIN_USER, TESSERA_DEMO, ... (see README.md and docs/).';
  return [`Tessera ${packageVersion()}: an ArcGIS REST API server.`, '', 'Usage:', sections.join('\n\n'), '', footer].join('\n');
}

/** `tessera --version`: ours, and the ArcGIS Server version clients see. */
export function versionText(): string {
  return `tessera ${packageVersion()} (ArcGIS REST API ${FULL_VERSION}, Node ${process.version})`;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
