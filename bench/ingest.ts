/**
 * Image collection ingest bench: `node --import tsx bench/ingest.ts [--images 100] [--size 1024] [--parallel 2]`.
 *
 * Generates N GeoTIFFs (3-band Byte, UTM 11N, nodata border, no overviews) in a data store, then
 * in this one process and with the same parallelism:
 *   (a) plain `gdal_translate -of COG` of every file (child processes, P at a time) — the floor;
 *   (a') the same with the creation options ingest uses (compression differs from the default);
 *   (b) CreateImageCollection by value (COG copies + footprints + statistics + catalog + service);
 *   (c) CreateImageCollection by reference (footprints + statistics + catalog + service).
 * Each is run `--rounds` times, interleaved, and the best time kept (the machine may be shared).
 * Prints wall times, (b)/(a) as a ratio (goal ≤ 1.2) and (c) per image (goal < 50 ms).
 * `--only byref` (or `byvalue`, `plain`) runs one measurement, e.g. for a CPU profile.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { makePrincipal } from '../src/auth/principal.js';
import { catalogStoreFor } from '../src/imagery/store/open-catalog-store.js';
import type { TaskContext } from '../src/jobs/task.js';
import { chooseCogCreationOptions } from '../src/raster/cog-creation-options.js';
import { runGdalCommand } from '../src/raster/run-gdal-command.js';
import { generateImages } from './generate-images.js';
import { startServer, type RunningServer } from '../src/server.js';
import { runPool } from '../src/tasks/image-collection/run-pool.js';
import { createImageCollection } from '../src/tasks/create-image-collection.js';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '100' },
    size: { type: 'string', default: '1024' },
    parallel: { type: 'string', default: String(availableParallelism()) },
    rounds: { type: 'string', default: '2' },
    only: { type: 'string', default: '' },
  },
});
const N = Number(args.images);
const SIZE = Number(args.size);
const P = Number(args.parallel);
const ROUNDS = Number(args.rounds);

function taskContext(server: RunningServer, inputs: Record<string, unknown>): TaskContext {
  const jobId = `bench${randomUUID().replace(/-/g, '')}`;
  return {
    jobId,
    principal: makePrincipal('admin', 'administrator', 'header'),
    inputs,
    scratchDir: path.join(server.context.config.dataDir, 'bench-scratch', jobId),
    signal: new AbortController().signal,
    baseUrl: server.url,
    config: server.context.config,
    stores: server.context.stores,
    info: () => undefined,
    warning: (text) => console.warn(`  warning: ${text}`),
    progress: () => undefined,
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function report(label: string, ms: number): void {
  console.log(`${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s   ${(ms / N).toFixed(1).padStart(7)} ms/image`);
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'tessera-bench-ingest-'));
  const share = path.join(root, 'share');
  const plain = path.join(root, 'plain');
  await mkdir(share, { recursive: true });
  await mkdir(plain, { recursive: true });
  const server = await startServer({
    config: { port: 0, host: '127.0.0.1', dataDir: path.join(root, 'data'), demo: false, admin: { username: 'admin', password: 'bench-admin-password' } },
    logger: pino({ level: 'silent' }),
  });
  try {
    console.log(`Generating ${N} GeoTIFFs of ${SIZE}×${SIZE}×3 (Byte, EPSG:32611); parallelism ${P} on ${availableParallelism()} processors`);
    const files = await generateImages(share, N, SIZE);
    await catalogStoreFor(server.context.config).registerDataStore({ path: '/fileShares/bench', name: 'bench', type: 'folder', localPath: share, info: {}, created: Date.now() });
    const uris = files.map((f) => `/bench/${path.basename(f)}`);
    const create = (name: string, byref: boolean) => async () => {
      const context = taskContext(server, {
        inputRasters: { uris, byref },
        imageCollection: name,
        rasterType: 'Raster Dataset',
        context: { outSR: { wkid: 32611 }, parallelProcessingFactor: P },
      });
      await mkdir(context.scratchDir, { recursive: true });
      await createImageCollection.execute(context);
    };

    const sameOptions = chooseCogCreationOptions({ dataType: 'Byte', bandCount: 3, hasNoData: true, hasColorTable: false }).flatMap((co) => ['-co', co]);
    const translate = (options: string[], prefix: string) => () =>
      runPool(files, P, (file) => runGdalCommand('gdal_translate', ['-q', '-of', 'COG', ...options, file, path.join(plain, `${prefix}${path.basename(file)}`)]));
    const best = { plain: Infinity, same: Infinity, byValue: Infinity, byRef: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      if (!args.only || args.only === 'plain') best.plain = Math.min(best.plain, await timed(translate([], 'plain-')));
      if (!args.only) best.same = Math.min(best.same, await timed(translate(sameOptions, 'same-')));
      if (!args.only || args.only === 'byvalue') best.byValue = Math.min(best.byValue, await timed(create(`benchvalue${round}`, false)));
      if (!args.only || args.only === 'byref') best.byRef = Math.min(best.byRef, await timed(create(`benchref${round}`, true)));
      await rm(plain, { recursive: true, force: true });
      await mkdir(plain, { recursive: true });
    }
    console.log(`best of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}:`);
    if (best.plain < Infinity) report('(a) gdal_translate -of COG', best.plain);
    if (best.same < Infinity) report("(a') gdal_translate -of COG, ingest's -co options", best.same);
    if (best.byValue < Infinity) report('(b) CreateImageCollection by value', best.byValue);
    if (best.byRef < Infinity) report('(c) CreateImageCollection by reference', best.byRef);
    console.log('');
    if (best.byValue < Infinity && best.plain < Infinity) {
      console.log(`by value / plain COG: ${(best.byValue / best.plain).toFixed(2)}× (goal ≤ 1.2); / plain COG with the same options: ${(best.byValue / best.same).toFixed(2)}×`);
    }
    if (best.byRef < Infinity) console.log(`by reference: ${(best.byRef / N).toFixed(1)} ms per image (goal < 50 ms)`);
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
