/**
 * Raster analysis bench: `npm run bench:raster-analysis`.
 * For each GDAL-engine task on a 2,000 × 2,000 input: the job's wall time (submit → succeeded,
 * polled every 50 ms, as a client sees it) against the GDAL command(s) the task runs, alone, on
 * the same input; for the zonal tasks, which no GDAL utility does, the same computation in GDAL's
 * Python bindings and numpy (bench/zonal-baseline.py). The job's extra is input resolution, the
 * worker hand-off, the lossless COG move into the raster store with overviews, footprint and
 * statistics, and publishing.
 * CPU seconds beside wall seconds: on a shared machine the wall time swings with the load, the
 * CPU time (job worker and its GDAL commands against the GDAL commands alone) much less.
 * Under each line: where the job's CPU went in its cheapest run, from the worker's timed sections
 * (TESSERA_SECTION_TIMES, src/tasks/analysis/engines/section-times.ts; ms, `other` is what no
 * section timed: job hand-off, input resolution, polling).
 * Options: `--repeat N` (default 3; the best of N runs of each, as the machine is shared) and
 * `--only Task1,Task2` and `--port N` (the server's; any free port by default).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { copyArgs } from '../src/tasks/copy-raster.js';
import { proximityArgs } from '../src/tasks/calculate-distance.js';
import { rasterizeArgs } from '../src/tasks/convert-feature-to-raster.js';
import { polygonizeArgs } from '../src/tasks/convert-raster-to-feature.js';
import { viewshedArgs } from '../src/tasks/create-viewshed.js';
import { gridArgs } from '../src/tasks/interpolate-points.js';
import { writeRaster } from '../test/fixtures/raster/write-raster.js';
import { childCpuMs } from './process-cpu.js';
import { startTestServer, type TestServer } from '../test/helpers/test-server.js';
import type { JobStatus } from '../test/helpers/answers.js';

const run = promisify(execFile);
const SIZE = 2000;
const CELL = 10;
const GT = [500000, CELL, 0, 4120000, 0, -CELL];
const SRS = 'EPSG:32611';
const RA = '/rest/services/System/RasterAnalysisTools/GPServer';
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const REPEAT = Math.max(1, Number(argValue('--repeat') ?? 3));
const ONLY = argValue('--only')?.split(',');
const PORT = Number(argValue('--port') ?? 0);

/** Wall time and CPU time of the work done by child processes (job workers and the GDAL commands they or we run). */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const cpu = childCpuMs();
  const started = performance.now();
  await work();
  return { ms: performance.now() - started, cpuMs: childCpuMs() - cpu };
}

async function runJob(server: TestServer, token: string, task: string, params: Record<string, unknown>): Promise<{ ms: number; cpuMs: number }> {
  const form = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return timed(async () => {
    const submitted = await server.post<JobStatus>(`${RA}/${task}/submitJob`, { ...form, f: 'json', token });
    if (!submitted.jobId) throw new Error(JSON.stringify(submitted));
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const job = await server.get<JobStatus>(`${RA}/${task}/jobs/${submitted.jobId}?f=json&token=${token}&returnMessages=true`);
      if (job.jobStatus === 'esriJobSucceeded') return;
      if (/Failed|Cancelled|TimedOut/.test(job.jobStatus)) throw new Error(`${task}: ${JSON.stringify(job.messages)}`);
    }
  });
}

const ZONAL_NOTE = 'GDAL: zonal-baseline.py, GDAL Python + numpy: warp, read, per-zone statistics, write';

/**
 * The zonal tasks' baseline: bench/zonal-baseline.py under the Python that GDAL's own scripts
 * run with (the first line of gdal_polygonize.py), which has the GDAL bindings and numpy.
 */
async function zonalBaseline(mode: 'raster' | 'table', zones: string, values: string, output: string): Promise<unknown> {
  const { stdout } = await run('sh', ['-c', 'command -v gdal_polygonize.py']);
  const [python, ...pythonArgs] = readFileSync(stdout.trim(), 'utf8').split('\n')[0].replace(/^#!/, '').trim().split(/\s+/);
  const script = fileURLToPath(new URL('./zonal-baseline.py', import.meta.url));
  return run(python, [...pythonArgs, script, mode, zones, values, output], { maxBuffer: 1 << 24 });
}

/** The worker's timed sections of the last job, CPU ms summed by name, and the file emptied. */
function takeSections(file: string): Map<string, number> {
  const sums = new Map<string, number>();
  if (!existsSync(file)) return sums;
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const { section, cpuMs } = JSON.parse(line) as { section: string; cpuMs: number };
    sums.set(section, (sums.get(section) ?? 0) + cpuMs);
  }
  writeFileSync(file, '');
  return sums;
}

function describeSections(sums: Map<string, number>, jobCpuMs: number): string {
  const timed = [...sums.values()].reduce((a, b) => a + b, 0);
  return [...sums.entries(), ['other', jobCpuMs - timed] as const].filter(([, ms]) => ms > 0).map(([name, ms]) => `${name} ${Math.round(ms)}`).join(', ');
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
const gdal = (program: string, args: string[]) => run(program, args, { maxBuffer: 1 << 24 });

async function main(): Promise<void> {
  const share = await mkdtemp(path.join(tmpdir(), 'tessera-bench-ra-'));
  const sectionsFile = path.join(share, 'sections.jsonl');
  // Read by the job worker when it starts (it inherits this environment).
  process.env.TESSERA_SECTION_TIMES = sectionsFile;
  const server = await startTestServer({ port: PORT });
  try {
    const token = await server.token();
    await server.post('/admin/data/registerItem', { item: JSON.stringify({ path: '/fileShares/bench', type: 'folder', info: { path: share } }), f: 'json', token });
    const file = (name: string) => path.join(share, name);
    console.log(`Writing ${SIZE}×${SIZE} inputs…`);
    await writeRaster(file('dem.tif'), { width: SIZE, height: SIZE, dataType: 'Float32', srs: SRS, geoTransform: GT, creationOptions: ['TILED=YES'], value: (c, r) => 500 + 200 * Math.sin(c / 150) * Math.cos(r / 210) + 0.02 * c });
    await writeRaster(file('classes.tif'), { width: SIZE, height: SIZE, dataType: 'Byte', noData: 0, srs: SRS, geoTransform: GT, creationOptions: ['TILED=YES'], value: (c, r) => 1 + ((Math.floor(c / 100) * 7 + Math.floor(r / 100) * 3) % 9) });
    const sources = new Set([[300, 400], [1500, 200], [1000, 1700], [1800, 1800]].map(([c, r]) => r * SIZE + c));
    // NoData 0: the job's sources are the cells with data, GDAL's the cells of value 1: the same four.
    await writeRaster(file('sources.tif'), { width: SIZE, height: SIZE, dataType: 'Byte', noData: 0, srs: SRS, geoTransform: GT, creationOptions: ['TILED=YES'], value: (c, r) => (sources.has(r * SIZE + c) ? 1 : 0) });
    let seed = 3;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const extent = { xmin: GT[0], ymin: GT[3] - SIZE * CELL, xmax: GT[0] + SIZE * CELL, ymax: GT[3] };
    const points = {
      geometryType: 'esriGeometryPoint',
      spatialReference: { wkid: 32611 },
      fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'v', type: 'esriFieldTypeDouble' }],
      features: Array.from({ length: 300 }, (_, i) => ({ attributes: { OBJECTID: i + 1, v: Math.round(random() * 1000) / 10 }, geometry: { x: extent.xmin + random() * SIZE * CELL, y: extent.ymin + random() * SIZE * CELL } })),
    };
    // Pin the point extent to the grid's corners so gdal_grid makes 2000×2000.
    points.features[0].geometry = { x: extent.xmin, y: extent.ymin };
    points.features[1].geometry = { x: extent.xmax, y: extent.ymax };
    await writeFile(file('points.json'), JSON.stringify(points));
    const square = (x: number, y: number, s: number) => [[[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]];
    const polygons = {
      geometryType: 'esriGeometryPolygon',
      spatialReference: { wkid: 32611 },
      fields: [{ name: 'OBJECTID', type: 'esriFieldTypeOID' }, { name: 'code', type: 'esriFieldTypeInteger' }],
      features: Array.from({ length: 100 }, (_, i) => ({ attributes: { OBJECTID: i + 1, code: i % 9 }, geometry: { rings: square(extent.xmin + (i % 10) * 2000, extent.ymin + Math.floor(i / 10) * 2000, 2000) } })),
    };
    await writeFile(file('polygons.json'), JSON.stringify(polygons));
    const observers = [[4000, 6000], [15000, 12000]].map(([dx, dy]) => ({ x: extent.xmin + dx, y: extent.ymin + dy }));
    const out = (name: string) => file(`gdal-${name}`);

    const cases: Array<{ task: string; params: Record<string, unknown>; gdal: () => Promise<unknown>; note?: string }> = [
      { task: 'CopyRaster', params: { inputRaster: { uri: '/bench/dem.tif' }, outputCellsize: 20, resamplingMethod: 'BILINEAR' }, gdal: () => gdal('gdalwarp', [...copyArgs(20, 'bilinear'), file('dem.tif'), out('copy.tif')]) },
      { task: 'GenerateRaster', params: { rasterFunction: 'Hillshade', functionArguments: { Raster: { uri: '/bench/dem.tif' } } }, gdal: () => gdal('gdaldem', ['hillshade', '-q', file('dem.tif'), out('hillshade.tif')]), note: 'GDAL: gdaldem hillshade (ours: the exportImage function in JS)' },
      { task: 'ConvertRasterToFeature', params: { inputRaster: { uri: '/bench/classes.tif' }, simplifyLinesOrPolygons: false }, gdal: () => gdal('gdal_polygonize.py', [...polygonizeArgs(), file('classes.tif'), out('polygons.gpkg'), 'out', 'gridcode']) },
      { task: 'ConvertFeatureToRaster', params: { inputFeature: polygons, valueField: 'code', outputCellSize: CELL }, gdal: () => gdal('gdal_rasterize', [...rasterizeArgs({ name: 'code', integer: true }, CELL, { layerName: 'polygons' }), file('polygons.json'), out('rasterized.tif')]) },
      { task: 'CalculateDistance', params: { inputSourceRasterOrFeatures: { uri: '/bench/sources.tif' } }, gdal: () => gdal('gdal_proximity.py', [...proximityArgs(undefined), file('sources.tif'), out('distance.tif')]) },
      {
        task: 'CreateViewshed',
        params: { inputElevationSurface: { uri: '/bench/dem.tif' }, inputObserverFeatures: { geometryType: 'esriGeometryPoint', spatialReference: { wkid: 32611 }, features: observers.map((g) => ({ attributes: {}, geometry: g })) }, observersHeight: 10 },
        gdal: async () => {
          for (const [i, o] of observers.entries()) await gdal('gdal_viewshed', [...viewshedArgs({ ...o, height: 10, target: 0 }), file('dem.tif'), out(`viewshed-${i}.tif`)]);
        },
        note: 'GDAL: gdal_viewshed per observer (ours: the same GDALViewshedGenerate in the job worker)',
      },
      { task: 'InterpolatePoints', params: { inputPointFeatures: points, interpolateField: 'v', outputCellSize: CELL, optimizeFor: 'SPEED' }, gdal: () => gdal('gdal_grid', [...gridArgs('v', 'points', extent, CELL, 8), file('points.json'), out('idw.tif')]), note: 'SPEED: inverse distance, as gdal_grid (the default is kriging on SAGA)' },
      // GDAL 3.6 has no zonal statistics utility: the baseline is the whole computation the plain way.
      { task: 'SummarizeRasterWithin', params: { inputZoneLayer: { uri: '/bench/classes.tif' }, inputRasterLayertoSummarize: { uri: '/bench/dem.tif' }, statisticType: 'Mean' }, gdal: () => zonalBaseline('raster', file('classes.tif'), file('dem.tif'), out('zonal-mean.tif')), note: ZONAL_NOTE },
      { task: 'ZonalStatisticsAsTable', params: { inputZoneRasterOrFeatures: { uri: '/bench/classes.tif' }, inputValueRaster: { uri: '/bench/dem.tif' } }, gdal: () => zonalBaseline('table', file('classes.tif'), file('dem.tif'), out('zonal.csv')), note: ZONAL_NOTE },
    ];
    // A first job starts the worker process (module loading): not part of any task's time.
    await runJob(server, token, 'CopyRaster', { inputRaster: { uri: '/bench/sources.tif' }, outputName: 'bench_warm_up' });
    takeSections(sectionsFile);
    console.log(`\nload average ${load()} (the machine is shared: figures are best of ${REPEAT})`);
    console.log(`${'task'.padEnd(24)} ${'job (s)'.padStart(8)} ${'GDAL (s)'.padStart(9)} ${'ratio'.padStart(6)}   ${'job CPU (s)'.padStart(11)} ${'GDAL CPU (s)'.padStart(12)} ${'ratio'.padStart(6)}`);
    for (const c of cases.filter((c) => !ONLY || ONLY.includes(c.task))) {
      const best = { gdal: { ms: Infinity, cpuMs: Infinity }, job: { ms: Infinity, cpuMs: Infinity } };
      let sections = '';
      for (let i = 0; i < REPEAT; i++) {
        const g = await timed(c.gdal);
        const name = `bench_${c.task.toLowerCase()}_${i}`;
        const nameParam = c.task === 'CalculateDistance' ? { outputDistanceName: name } : { outputName: name };
        const j = await runJob(server, token, c.task, { ...c.params, ...nameParam });
        const sums = takeSections(sectionsFile);
        if (j.cpuMs < best.job.cpuMs) sections = describeSections(sums, j.cpuMs);
        for (const [key, m] of [['gdal', g], ['job', j]] as const) best[key] = { ms: Math.min(best[key].ms, m.ms), cpuMs: Math.min(best[key].cpuMs, m.cpuMs) };
      }
      const s = (ms: number, width: number) => (ms / 1000).toFixed(2).padStart(width);
      const { gdal: g, job: j } = best;
      console.log(`${c.task.padEnd(24)} ${s(j.ms, 8)} ${s(g.ms, 9)} ${(j.ms / g.ms).toFixed(2).padStart(6)}   ${s(j.cpuMs, 11)} ${s(g.cpuMs, 12)} ${(j.cpuMs / g.cpuMs).toFixed(2).padStart(6)}${c.note ? `  (${c.note})` : ''}`);
      if (sections) console.log(`${''.padEnd(24)} CPU ms: ${sections}`);
    }
    console.log(`load average ${load()}`);
  } finally {
    await server.close();
    await rm(share, { recursive: true, force: true });
  }
}

await main();
