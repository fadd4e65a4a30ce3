import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postForm, serveProcess, type ServedProcess } from '../helpers/serve-process.js';
import { POINT_FIELDS } from '../http/features-helpers.js';
import { seededRandom, SEED, sized } from './attack-size.js';
import type { FeatureSet, SuccessAnswer } from '../helpers/answers.js';
import type { TokenAnswer } from '../helpers/test-server.js';

const PASSWORD = 'kill-test-password';

describe('kill -9 during edits', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-kill-'));
  let running: ServedProcess | undefined;
  afterAll(() => {
    running?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never leaves an applyEdits half applied', async () => {
    const rand = seededRandom(SEED);
    const rounds = sized(3, 20);
    const size = sized(5000, 10_000);
    running = await serveProcess(dataDir, PASSWORD);
    let token = (await postForm<TokenAnswer>(`${running.url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
    const created = await postForm<SuccessAnswer>(`${running.url}/sharing/rest/content/users/admin/createService`, {
      f: 'json',
      token,
      outputType: 'featureService',
      createParameters: JSON.stringify({ name: 'Killed', spatialReference: { wkid: 4326 } }),
    });
    expect(created.success).toBe(true);
    const layer = `${running.url}/rest/services/Hosted/Killed/FeatureServer/0`;
    await postForm(`${running.url}/rest/admin/services/Hosted/Killed/FeatureServer/addToDefinition`, {
      f: 'json',
      token,
      addToDefinition: JSON.stringify({ layers: [{ name: 'K', geometryType: 'esriGeometryPoint', fields: POINT_FIELDS }] }),
    });
    const adds = JSON.stringify(Array.from({ length: size }, (_, i) => ({ attributes: { NAME: `k${i}`, POP: i }, geometry: { x: (i % 360) - 180, y: (i % 170) - 85 } })));
    const outcomes = { committed: 0, rolledBack: 0, partial: 0 };
    let count = 0;
    for (let round = 0; round < rounds; round++) {
      const edit = postForm(`${layer}/applyEdits`, { f: 'json', token, adds }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(rand() * 2500)));
      running.child.kill('SIGKILL');
      await new Promise((resolve) => running!.child.once('exit', resolve));
      await edit;
      running = await serveProcess(dataDir, PASSWORD);
      token = (await postForm<TokenAnswer>(`${running.url}/sharing/rest/generateToken`, { username: 'admin', password: PASSWORD, f: 'json' })).token as string;
      const now = (await postForm<FeatureSet>(`${running.url}/rest/services/Hosted/Killed/FeatureServer/0/query`, { f: 'json', token, where: '1=1', returnCountOnly: 'true' })).count as number;
      if (now === count) outcomes.rolledBack++;
      else if (now === count + size) outcomes.committed++;
      else outcomes.partial++;
      count = now;
    }
    console.log(`crash-kill: ${rounds} kill -9 during a ${size}-add applyEdits: ${outcomes.committed} committed whole, ${outcomes.rolledBack} rolled back, ${outcomes.partial} partial`);
    expect(outcomes.partial).toBe(0);
  }, 600_000);
});
