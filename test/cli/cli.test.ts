import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { BIN, expectUserError, runCli } from './cli-run.js';

let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tessera-cli-'));
  dataDir = path.join(dir, 'data');
  await writeFile(path.join(dir, 'places.geojson'), JSON.stringify(pointCollection(3)));
  await writeFile(path.join(dir, 'broken.geojson'), '{"type": "FeatureCollection", "features": [ oops');
  await writeFile(path.join(dir, 'notes.txt'), 'not geodata');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pointCollection(n: number) {
  return {
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i) => ({
      type: 'Feature',
      properties: { name: `p${i}`, rank: i },
      geometry: { type: 'Point', coordinates: [-35 + (i % 100) / 1000, -8 + Math.floor(i / 100) / 1000] },
    })),
  };
}

describe('tessera --version and help', () => {
  it('prints the version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^tessera 0\.1\.0 \(ArcGIS REST API 11\.3\.0, Node v\d+/);
  });

  it('lists every command with examples', async () => {
    const result = await runCli(['help']);
    expect(result.code).toBe(0);
    for (const text of ['tessera serve', 'tessera import', 'tessera user add', 'tessera user passwd', 'tessera user list', 'tessera user remove', 'tessera token', '$ TOKEN=$(tessera token']) {
      expect(result.stdout).toContain(text);
    }
    const one = await runCli(['help', 'token']);
    expect(one.stdout).toContain('tessera token [--user');
    expect(one.stdout).not.toContain('tessera user add');
  });

  it('reports an unknown command or option as a user error', async () => {
    expectUserError(await runCli(['frobnicate']), /^tessera: Unknown command 'frobnicate'/);
    expectUserError(await runCli(['token', '--colour'], { dataDir }), /Unknown option '--colour'/);
  });
});

describe('tessera serve', () => {
  it('says in one line when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      expectUserError(await runCli(['serve', '--port', String(port)], { dataDir: path.join(dir, 'serve') }), /cannot listen there \(the port is in use\)/);
      expectUserError(await runCli(['serve', '--port', 'eighty'], { dataDir: path.join(dir, 'serve') }), /--port is a number, not 'eighty'/);
    } finally {
      taken.close();
    }
  });

  // bin/arena-cap.js: glibc reads the cap only at start; the PID stays the server's (what supervisors and benches watch).
  it.runIf(process.platform === 'linux')('runs with two malloc arenas unless told otherwise, as the process it was started as', async () => {
    const capped = await serveAndRead({ MALLOC_ARENA_MAX: '' });
    expect(capped.environ).toMatch(/^MALLOC_ARENA_MAX=2$/m);
    expect(capped.code).toBe(0);
    expect((await serveAndRead({ MALLOC_ARENA_MAX: '8' })).environ).toMatch(/^MALLOC_ARENA_MAX=8$/m);
  });
});

/** Starts `tessera serve` on a free port, reads its PID's environment once it serves, then stops it with SIGTERM. */
async function serveAndRead(env: Record<string, string>): Promise<{ environ: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...process.env, TESSERA_DEMO: 'false', TESSERA_DATA_DIR: path.join(dir, 'arena-cap'), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Tessera is serving')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tessera serve exited (${code}): ${output}`)));
  });
  const environ = await readFile(`/proc/${child.pid}/environ`, 'utf8');
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return { environ: environ.split('\0').join('\n'), code: await exited };
}

describe('a data directory without an administrator', () => {
  it('import and token say so in one line', async () => {
    const empty = path.join(dir, 'empty');
    expectUserError(await runCli(['import', path.join(dir, 'places.geojson'), '--service', 'x'], { dataDir: empty }), /has no administrator yet/);
    expectUserError(await runCli(['token'], { dataDir: empty }), /has no administrator yet/);
  });
});

describe('users, tokens and imports', () => {
  let server: TestServer | undefined;
  afterAll(async () => server?.close());

  it('adds users, refusing duplicates, bad roles, bad names and short passwords', async () => {
    const added = await runCli(['user', 'add', 'gis', '--role', 'administrator', '--password', 'first-password'], { dataDir });
    expect(added).toMatchObject({ code: 0, stdout: "Added administrator 'gis'\n" });
    const generated = await runCli(['user', 'add', 'ana', '--role', 'publisher', '--full-name', 'Ana Lima'], { dataDir });
    expect(generated.stdout).toMatch(/^Added publisher 'ana' with password: \S{12,}\n$/);
    expect((await runCli(['user', 'add', 'viewer'], { dataDir })).code).toBe(0);
    expectUserError(await runCli(['user', 'add', 'GIS'], { dataDir }), /User 'GIS' already exists/);
    expectUserError(await runCli(['user', 'add', 'bob', '--role', 'owner'], { dataDir }), /Unknown role 'owner'/);
    expectUserError(await runCli(['user', 'add', 'bad name'], { dataDir }), /cannot be a user name/);
    expectUserError(await runCli(['user', 'add', 'bob', '--password', 'short'], { dataDir }), /at least 8 characters/);
    expectUserError(await runCli(['user', 'add'], { dataDir }), /Which user\?/);
    expectUserError(await runCli(['user', 'rename', 'x'], { dataDir }), /Unknown 'tessera user rename'/);
  });

  it('lists users as a table and as JSON', async () => {
    const table = await runCli(['user', 'list'], { dataDir });
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+FULL NAME\s+CREATED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([['ana', 'publisher'], ['gis', 'administrator'], ['viewer', 'user']]);
    const json = JSON.parse((await runCli(['user', 'list', '--json'], { dataDir })).stdout) as Array<{ username: string }>;
    expect(json.find((u) => u.username === 'ana')).toMatchObject({ role: 'publisher', fullName: 'Ana Lima' });
  });

  it('prints a token the server accepts, for the first administrator by default', async () => {
    const token = (await runCli(['token', '--expiration', '30'], { dataDir })).stdout.trim();
    expect(token).toMatch(/^\S{20,}$/);
    server = await startTestServer({ dataDir });
    const self = await server.get<unknown>(`/sharing/rest/community/self?f=json&token=${token}`);
    expect(self).toMatchObject({ username: 'gis', role: 'org_admin' });
    const anaToken = (await runCli(['token', '--user', 'ana'], { dataDir })).stdout.trim();
    expect(await server.get(`/sharing/rest/community/self?f=json&token=${anaToken}`)).toMatchObject({ username: 'ana' });
    expectUserError(await runCli(['token', '--user', 'nobody'], { dataDir }), /There is no user 'nobody'/);
    expectUserError(await runCli(['token', '--expiration', 'soon'], { dataDir }), /whole number of minutes/);
  });

  it('passwd changes the password (also from stdin) and ends earlier tokens', async () => {
    const before = (await runCli(['token'], { dataDir })).stdout.trim();
    const changed = await runCli(['user', 'passwd', 'gis', '--password-stdin'], { dataDir, input: 'second-password\n' });
    expect(changed).toMatchObject({ code: 0 });
    expect(changed.stdout).toContain("Changed the password of 'gis'");
    expect(await server!.get(`/sharing/rest/community/self?f=json&token=${before}`)).toMatchObject({ error: { code: 498 } });
    expect(await server!.post('/sharing/rest/generateToken', { username: 'gis', password: 'second-password', f: 'json' })).toHaveProperty('token');
    expectUserError(await runCli(['user', 'passwd', 'nobody'], { dataDir }), /There is no user 'nobody'/);
  });

  it('imports as the first administrator when the configured one does not exist', async () => {
    const result = await runCli(['import', path.join(dir, 'places.geojson'), '--service', 'places', '--public'], { dataDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Imported .*places\.geojson as .*\/rest\/services\/Hosted\/places\/FeatureServer: places \(esriGeometryPoint\)\n$/);
    const count = await server!.get<unknown>('/rest/services/Hosted/places/FeatureServer/0/query?where=1%3D1&returnCountOnly=true&f=json');
    expect(count).toEqual({ count: 3 });
    const service = await server!.get<{ error?: unknown }>('/rest/services/Hosted/places/FeatureServer?f=json');
    expect(service.error).toBeUndefined();
  });

  it('imports for a publisher given by --owner, but not for a plain user', async () => {
    const result = await runCli(['import', path.join(dir, 'places.geojson'), '--service', 'anas', '--owner', 'ana'], { dataDir });
    expect(result.code).toBe(0);
    expectUserError(await runCli(['import', path.join(dir, 'places.geojson'), '--service', 'viewers', '--owner', 'viewer'], { dataDir }), /'viewer' may not publish/);
  });

  it('reports bad imports in one line', async () => {
    const importing = (file: string, ...more: string[]) => runCli(['import', path.join(dir, file), '--service', 'bad', ...more], { dataDir });
    expectUserError(await importing('notes.txt'), /Cannot import a '\.txt' file: give --format geojson\|csv\|shapefile\|geopackage/);
    expectUserError(await importing('places.geojson', '--format', 'kml'), /Cannot import the format 'kml'/);
    expectUserError(await importing('missing.geojson'), /There is no file .*missing\.geojson/);
    expectUserError(await importing('broken.geojson'), /could not be read as geojson/);
    expectUserError(await runCli(['import', path.join(dir, 'places.geojson')], { dataDir }), /Name the service/);
    expectUserError(await runCli(['import', path.join(dir, 'places.geojson'), '--service', 'places'], { dataDir }), /places/);
  });

  it('shows progress for large files', async () => {
    await writeFile(path.join(dir, 'many.geojson'), JSON.stringify(pointCollection(12_000)));
    const result = await runCli(['import', path.join(dir, 'many.geojson'), '--service', 'many'], { dataDir });
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.at(-1)).toBe('many: 12,000 of 12,000 features');
  });

  it('removes users, but not owners of content or the last administrator', async () => {
    expectUserError(await runCli(['user', 'remove', 'ana'], { dataDir }), /'ana' owns 1 item\(s\) and 1 service\(s\)/);
    expectUserError(await runCli(['user', 'remove', 'nobody'], { dataDir }), /There is no user 'nobody'/);
    expect(await runCli(['user', 'remove', 'viewer'], { dataDir })).toMatchObject({ code: 0, stdout: "Removed user 'viewer'.\n" });
    expect((await runCli(['user', 'add', 'solo', '--role', 'administrator', '--password', 'solo-password'], { dataDir: path.join(dir, 'solo') })).code).toBe(0);
    expectUserError(await runCli(['user', 'remove', 'solo'], { dataDir: path.join(dir, 'solo') }), /last administrator/);
  });
});
