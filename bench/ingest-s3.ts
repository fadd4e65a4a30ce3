/**
 * Ingest to S3 bench: `node --import tsx bench/ingest-s3.ts [--images 100] [--size 1024] [--parallel 2]`.
 *
 * Starts s3rver (its own process, loopback) as the raster store, generates N GeoTIFFs in a data
 * store, then with the same parallelism:
 *   (a) `gdal_translate -of COG` of every file to `/vsis3/` with the creation options ingest uses;
 *   (b) CreateImageCollection by value with `rasterStore: s3://…` (COGs written through
 *       `/vsis3/`, footprints and statistics read back from S3, catalog, service).
 * Best of `--rounds`, interleaved. Prints wall times and (b)/(a) (goal ≤ 1.2).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { makePrincipal } from '../src/auth/principal.js';
import { catalogStoreFor } from '../src/imagery/store/open-catalog-store.js';
import { chooseCogCreationOptions } from '../src/raster/cog-creation-options.js';
import { runGdalCommand } from '../src/raster/run-gdal-command.js';
import { startServer } from '../src/server.js';
import { createImageCollection } from '../src/tasks/create-image-collection.js';
import { runPool } from '../src/tasks/image-collection/run-pool.js';
import { generateImages } from './generate-images.js';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '100' },
    size: { type: 'string', default: '1024' },
    parallel: { type: 'string', default: String(availableParallelism()) },
    rounds: { type: 'string', default: '2' },
  },
});
const N = Number(args.images);
const SIZE = Number(args.size);
const P = Number(args.parallel);
const ROUNDS = Number(args.rounds);
const BUCKET = 'bench';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function report(label: string, ms: number): void {
  console.log(`${label.padEnd(48)} ${(ms / 1000).toFixed(2).padStart(7)} s   ${(ms / N).toFixed(1).padStart(7)} ms/image`);
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'tessera-bench-s3-'));
  const share = path.join(root, 'share');
  await mkdir(share, { recursive: true });
  const port = await freePort();
  const s3rver = spawn(
    process.execPath,
    [fileURLToPath(new URL('../node_modules/s3rver/bin/s3rver.js', import.meta.url)), '-d', path.join(root, 's3'), '-a', '127.0.0.1', '-p', String(port), '-s', '--no-vhost-buckets', '--configure-bucket', BUCKET],
    { stdio: 'ignore' },
  );
  Object.assign(process.env, {
    AWS_S3_ENDPOINT: `127.0.0.1:${port}`,
    AWS_HTTPS: 'NO',
    AWS_VIRTUAL_HOSTING: 'FALSE',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    CPL_VSIL_USE_TEMP_FILE_FOR_RANDOM_WRITE: 'YES',
  });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const server = await startServer({
    config: {
      port: 0,
      host: '127.0.0.1',
      dataDir: path.join(root, 'data'),
      demo: false,
      rasterStore: `s3://${BUCKET}/store`,
      admin: { username: 'admin', password: 'bench-admin-password' },
    },
    logger: pino({ level: 'silent' }),
  });
  try {
    console.log(`Generating ${N} GeoTIFFs of ${SIZE}×${SIZE}×3 (Byte, EPSG:32611); parallelism ${P} on ${availableParallelism()} processors; s3rver on :${port}`);
    const files = await generateImages(share, N, SIZE);
    await catalogStoreFor(server.context.config).registerDataStore({ path: '/fileShares/bench', name: 'bench', type: 'folder', localPath: share, info: {}, created: Date.now() });
    const uris = files.map((f) => `/bench/${path.basename(f)}`);
    const options = chooseCogCreationOptions({ dataType: 'Byte', bandCount: 3, hasNoData: true, hasColorTable: false }).flatMap((co) => ['-co', co]);
    const plain = (round: number) => () =>
      runPool(files, P, (file) => runGdalCommand('gdal_translate', ['-q', '-of', 'COG', ...options, file, `/vsis3/${BUCKET}/plain${round}/${path.basename(file)}`]));
    const ingest = (round: number) => async () => {
      const jobId = `bench${randomUUID().replace(/-/g, '')}`;
      const scratchDir = path.join(root, 'scratch', jobId);
      await mkdir(scratchDir, { recursive: true });
      await createImageCollection.execute({
        jobId,
        principal: makePrincipal('admin', 'administrator', 'header'),
        inputs: { inputRasters: { uris }, imageCollection: `s3bench${round}`, rasterType: 'Raster Dataset', context: { outSR: { wkid: 32611 }, parallelProcessingFactor: P } },
        scratchDir,
        signal: new AbortController().signal,
        baseUrl: server.url,
        config: server.context.config,
        stores: server.context.stores,
        info: () => undefined,
        warning: (text) => console.warn(`  warning: ${text}`),
        progress: () => undefined,
      });
    };
    const best = { plain: Infinity, ingest: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      best.plain = Math.min(best.plain, await timed(plain(round)));
      best.ingest = Math.min(best.ingest, await timed(ingest(round)));
    }
    console.log(`best of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}:`);
    report("(a) gdal_translate -of COG to /vsis3/, ingest's -co", best.plain);
    report('(b) CreateImageCollection by value to S3', best.ingest);
    console.log(`\nby value to S3 / plain COG to /vsis3/: ${(best.ingest / best.plain).toFixed(2)}× (goal ≤ 1.2)`);
  } finally {
    await server.close();
    s3rver.kill();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
