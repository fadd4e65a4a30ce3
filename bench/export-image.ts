/**
 * exportImage bench: `node --import tsx bench/export-image.ts [--images 100] [--requests 200] [--seconds 10] [--concurrency 4]`
 *
 * Generates a collection of JPEG COGs (1024² RGB, 0.5 m, UTM 11N, 10 % overlap) and serves it
 * from a server in its own process (UV_THREADPOOL_SIZE sized as bin/tessera.js does). Then, for
 * 512×512 views at random places and scales (1 to ~16 images each), in the native SR and in Web
 * Mercator, PNG and JPEG:
 *   - sequential latency p50/p99 of exportImage (f=image) and the server's CPU ms per request;
 *   - the same views warped in this process with gdal-async `warpAsync` over already-open
 *     datasets (what the renderer itself runs), p50/p99, and the ratio exportImage p50 / warp p50;
 *   - throughput with `--concurrency` requests in flight, and how many cores the server kept busy.
 *
 * `--serve <dataDir> <imagesDir>` is the server half (internal).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { processCpuMs } from './process-cpu.js';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '100' },
    requests: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    /** Resampling of both exportImage and the warp baseline; bilinear is the service default. */
    interpolation: { type: 'string', default: 'bilinear' },
    serve: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

const SIZE = 1024;
const PIXEL = 0.5;
const STEP = SIZE * PIXEL * 0.9;
const ORIGIN = { x: 500000, y: 4100000 };
const SERVICE = '/rest/services/Hosted/bench/ImageServer';
const INTERPOLATIONS: Record<string, string> = { bilinear: 'RSP_BilinearInterpolation', nearest: 'RSP_NearestNeighbor' };
if (!INTERPOLATIONS[args.interpolation!]) throw new Error('--interpolation must be bilinear or nearest');

interface View {
  bbox: [number, number, number, number];
  srs: 'native' | '3857';
}

if (args.serve) await serve(...(process.argv.slice(-2) as [string, string]));
else await main();

async function main(): Promise<void> {
  const gdal = (await import('gdal-async')).default;
  const count = Number(args.images);
  const work = await mkdtemp(path.join(tmpdir(), 'bench-export-'));
  const imagesDir = path.join(work, 'images');
  console.log(`Generating ${count} JPEG COGs of ${SIZE}² in ${imagesDir}…`);
  const files = await generateImages(imagesDir, count);
  const { child, url } = await startServerProcess(path.join(work, 'data'), imagesDir);
  try {
    const side = Math.ceil(Math.sqrt(count));
    const extent = { xmin: ORIGIN.x, ymin: ORIGIN.y - (side - 1) * STEP - SIZE * PIXEL, xmax: ORIGIN.x + (side - 1) * STEP + SIZE * PIXEL, ymax: ORIGIN.y };
    const datasets = await Promise.all(files.map((f) => gdal.openAsync(f)));
    const to3857 = new gdal.CoordinateTransformation(gdal.SpatialReference.fromEPSG(32611), gdal.SpatialReference.fromEPSG(3857));
    const results: Record<string, unknown>[] = [];
    for (const srs of ['native', '3857'] as const) {
      const views = randomViews(extent, Number(args.requests), srs, to3857);
      const warp = await timeWarps(gdal, datasets, views);
      for (const format of ['png', 'jpg'] as const) {
        // Warm up: open the items' handles, fill GDAL's block cache, build the collection overview.
        await runSequential(url, views, format);
        const sequential = await runSequential(url, views, format, child.pid!);
        const loaded = await runConcurrent(url, views, format, Number(args.concurrency), Number(args.seconds), child.pid!);
        const row = {
          srs,
          format,
          'p50 ms': round(sequential.p50),
          'p99 ms': round(sequential.p99),
          'CPU ms/req': round(sequential.cpuMs),
          'warp p50 ms': round(warp.p50),
          'warp p99 ms': round(warp.p99),
          'warp CPU ms': round(warp.cpuMs),
          ratio: round(sequential.p50 / warp.p50),
          [`req/s @${args.concurrency}`]: round(loaded.rate),
          'cores busy': round(loaded.cores),
        };
        results.push(row);
        console.log(JSON.stringify(row));
      }
    }
    console.table(results);
    datasets.forEach((d) => d.close());
  } finally {
    child.stdin?.end();
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(work, { recursive: true, force: true });
  }
}

/** A grid of overlapping JPEG COGs with internal overviews, each a different pattern. */
async function generateImages(dir: string, count: number): Promise<string[]> {
  const gdal = (await import('gdal-async')).default;
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const side = Math.ceil(Math.sqrt(count));
  const srs = gdal.SpatialReference.fromEPSG(32611);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const mem = gdal.drivers.get('MEM').create('', SIZE, SIZE, 3, gdal.GDT_Byte);
    mem.geoTransform = [ORIGIN.x + (i % side) * STEP, PIXEL, 0, ORIGIN.y - Math.floor(i / side) * STEP, 0, -PIXEL];
    mem.srs = srs;
    for (let b = 1; b <= 3; b++) {
      const pixels = new Uint8Array(SIZE * SIZE);
      for (let r = 0; r < SIZE; r++) for (let c = 0; c < SIZE; c++) pixels[r * SIZE + c] = (((c >> 3) * b + (r >> 3) * (4 - b) + i * 37) & 0x7f) + 64;
      mem.bands.get(b).pixels.write(0, 0, SIZE, SIZE, pixels);
    }
    const file = path.join(dir, `img_${String(i).padStart(3, '0')}.tif`);
    (await gdal.drivers.get('COG').createCopyAsync(file, mem, ['COMPRESS=JPEG', 'QUALITY=85', 'BLOCKSIZE=512', 'OVERVIEWS=AUTO'])).close();
    mem.close();
    files.push(file);
  }
  return files;
}

/** Views of 512×512 pixels at 0.5, 1, 2 or 4 m, centred at random inside the collection. */
function randomViews(
  extent: { xmin: number; ymin: number; xmax: number; ymax: number },
  count: number,
  srs: View['srs'],
  to3857: { transformPoint(x: number, y: number): { x: number; y: number } },
): View[] {
  let seed = srs === 'native' ? 1 : 2;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  return Array.from({ length: count }, () => {
    const size = 512 * [0.5, 1, 2, 4][Math.floor(random() * 4)];
    const cx = extent.xmin + size / 2 + random() * Math.max(0, extent.xmax - extent.xmin - size);
    const cy = extent.ymin + size / 2 + random() * Math.max(0, extent.ymax - extent.ymin - size);
    if (srs === 'native') return { srs, bbox: [cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2] };
    const lo = to3857.transformPoint(cx - size / 2, cy - size / 2);
    const hi = to3857.transformPoint(cx + size / 2, cy + size / 2);
    const half = Math.max(hi.x - lo.x, hi.y - lo.y) / 2;
    const [mx, my] = [(lo.x + hi.x) / 2, (lo.y + hi.y) / 2];
    return { srs, bbox: [mx - half, my - half, mx + half, my + half] };
  });
}

function exportUrl(url: string, view: View, format: 'png' | 'jpg'): string {
  const sr = view.srs === 'native' ? '' : '&bboxSR=102100&imageSR=102100';
  return `${url}${SERVICE}/exportImage?f=image&bbox=${view.bbox.join(',')}${sr}&size=512,512&format=${format}&interpolation=${INTERPOLATIONS[args.interpolation!]}`;
}

/**
 * The baseline: what the renderer runs for these views, done directly — one `warpAsync` of the
 * open datasets that reach the view (with alpha, resampled as asked), result read back.
 */
async function timeWarps(gdal: typeof import('gdal-async'), datasets: import('gdal-async').Dataset[], views: View[]) {
  const bounds = datasets.map((d) => {
    const gt = d.geoTransform!;
    return { xmin: gt[0], ymax: gt[3], xmax: gt[0] + SIZE * gt[1], ymin: gt[3] + SIZE * gt[5] };
  });
  const from3857 = new gdal.CoordinateTransformation(gdal.SpatialReference.fromEPSG(3857), gdal.SpatialReference.fromEPSG(32611));
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (const view of views) {
    let [xmin, ymin, xmax, ymax] = view.bbox;
    if (view.srs === '3857') {
      const corners = [[xmin, ymin], [xmin, ymax], [xmax, ymin], [xmax, ymax]].map(([x, y]) => from3857.transformPoint(x, y));
      [xmin, ymin, xmax, ymax] = [Math.min(...corners.map((p) => p.x)), Math.min(...corners.map((p) => p.y)), Math.max(...corners.map((p) => p.x)), Math.max(...corners.map((p) => p.y))];
    }
    const reaching = datasets.filter((_, i) => bounds[i].xmax > xmin && bounds[i].xmin < xmax && bounds[i].ymax > ymin && bounds[i].ymin < ymax);
    const start = performance.now();
    const out = await gdal.warpAsync('baseline', null, reaching.reverse(), [
      '-of', 'MEM', '-te', ...view.bbox.map(String), '-ts', '512', '512', '-t_srs', view.srs === 'native' ? 'EPSG:32611' : 'EPSG:3857',
      '-r', args.interpolation === 'nearest' ? 'near' : 'bilinear', '-dstalpha', '-wo', 'SKIP_NOSOURCE=YES',
    ]);
    const pixels = new Uint8Array(512 * 512);
    for (let b = 1; b <= out.bands.count(); b++) out.bands.get(b).pixels.read(0, 0, 512, 512, pixels);
    out.close();
    samples.push(performance.now() - start);
  }
  const used = process.cpuUsage(cpu);
  return { ...percentiles(samples), cpuMs: (used.user + used.system) / 1000 / views.length };
}

async function runSequential(url: string, views: View[], format: 'png' | 'jpg', pid?: number) {
  const cpuBefore = pid ? await processCpuMs(pid) : 0;
  const samples: number[] = [];
  for (const view of views) {
    const start = performance.now();
    const response = await fetch(exportUrl(url, view, format));
    const bytes = await response.arrayBuffer();
    if (!response.headers.get('content-type')?.startsWith('image/')) throw new Error(`exportImage failed: ${Buffer.from(bytes).toString().slice(0, 300)}`);
    samples.push(performance.now() - start);
  }
  const cpuMs = pid ? ((await processCpuMs(pid)) - cpuBefore) / views.length : 0;
  return { ...percentiles(samples), cpuMs };
}

async function runConcurrent(url: string, views: View[], format: 'png' | 'jpg', concurrency: number, seconds: number, pid: number) {
  const cpuBefore = await processCpuMs(pid);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const view = views[next++ % views.length];
        await (await fetch(exportUrl(url, view, format))).arrayBuffer();
        done++;
      }
    }),
  );
  const wall = performance.now() - start;
  const cpu = (await processCpuMs(pid)) - cpuBefore;
  return { rate: (done * 1000) / wall, cores: cpu / wall };
}

/** User + system CPU of a process from /proc (clock ticks of 10 ms). */
function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function startServerProcess(dataDir: string, imagesDir: string): Promise<{ child: ChildProcess; url: string }> {
  const threads = String(Math.max(4, 2 * availableParallelism()));
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--serve', dataDir, imagesDir], {
    env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? threads },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

/** The server half: a server over `dataDir` publishing every image of `imagesDir` as `Hosted/bench`. */
async function serve(dataDir: string, imagesDir: string): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  const { pino } = await import('pino');
  const { startServer } = await import('../src/server.js');
  const { publishTestCollection } = await import('../test/http/image-render-collection.js');
  const server = await startServer({
    config: { port: 0, host: '127.0.0.1', dataDir, demo: false, admin: { username: 'admin', password: 'bench-admin-password' } },
    logger: pino({ level: 'silent' }),
  });
  const files = (await readdir(imagesDir)).filter((f) => f.endsWith('.tif')).sort();
  const images = files.map((f) => ({ path: path.join(imagesDir, f), name: f.replace(/\.tif$/, '') }));
  await publishTestCollection({ ...server, dataDir } as never, 'bench', 32611, images);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
}
