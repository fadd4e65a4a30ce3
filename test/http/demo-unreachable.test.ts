import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { readJson, type FolderJson } from '../helpers/answers.js';

let server: RunningServer | undefined;
let dataDir: string;
const savedPath = process.env.PATH;

afterAll(async () => {
  process.env.PATH = savedPath;
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('starts without the real demo, saying so in one line, when apt-get cannot fetch it', async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tessera-nodemo-'));
  const notices: string[] = [];
  // No apt-get on the PATH: what a machine without Debian's archive looks like to the server.
  process.env.PATH = path.join(dataDir, 'no-tools');
  server = await startServer({
    config: { port: 0, host: '127.0.0.1', dataDir, demo: true, demoPackages: true, admin: { username: 'admin', password: 'admin-test-password' } },
    logger: pino({ level: 'silent' }),
    onNotice: (line) => notices.push(line),
  });
  for (let i = 0; i < 100 && notices.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  process.env.PATH = savedPath;
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(/^Starting without the Olinda demo data: apt-get download r-cran-stars failed: .+$/);
  expect(notices[0]).not.toContain('\n');
  // The server serves; the quick demo is there, the real one is not.
  const hosted = await readJson<FolderJson>(await fetch(`${server.url}/rest/services/Hosted?f=json`));
  const names = hosted.services.map((s: { name: string }) => s.name);
  expect(names).toContain('Hosted/WorldPlaces');
  expect(names).not.toContain('Hosted/Olinda');
  expect(await server.context.stores.settings.get('demo.packages.created')).toBeUndefined();
});
