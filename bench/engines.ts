/**
 * Analysis engines bench: `node --import tsx bench/engines.ts [--size 2000] [--only Fill,Segment] [--repeat N] [--port N]`.
 * For each engine-backed Raster Analysis task on a size×size DEM or image, prints the job's time
 * (HTTP submit → the job's end as the server recorded it, publishing the hosted layer included)
 * beside the engine's command alone on the same input, and their ratio (goal ≤ 1.3×).
 * FlowDirection D8/MFD and FlowAccumulation D8/DINF run no engine (in the worker); the engine
 * shown is for scale. A tiny job runs first so that the cases meet a warm job worker.
 * `--only` takes task names or labels (`FlowAccumulation MFD`); Classify needs TrainClassifier
 * before it (`--only TrainClassifier,Classify`).
 * Under each line: where the job's time went, from the worker's timed sections
 * (TESSERA_SECTION_TIMES, src/tasks/analysis/engines/section-times.ts) after the submit request;
 * `other` is the rest (hand-off to the worker, the task's own kernels and sections not timed);
 * `polls saw it after` (outside the job's time) is how much later the status polls saw it end.
 * Seconds of CPU in brackets (the job's: the worker's threads and the engines it waited for, not
 * the HTTP side; the engine alone's; each section's): on a shared machine they swing less than
 * wall. `overhead` is the job's time beyond the engine alone's, wall (CPU).
 * `--repeat N` (default 1) runs each case's job and engine alone N times, one after the other:
 * the figures are medians (of each run's ratio and overhead; a section's over the runs), with the
 * ratio's min–max, since the engine alone swings by a second or more between runs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from '../src/statistics.js';
import { fetchStarsFile } from '../test/fixtures/raster/fetch-stars-file.js';
import { writeRaster } from '../test/fixtures/raster/write-raster.js';
import { startTestServer, type TestServer } from '../test/helpers/test-server.js';
import { registerFileShare, RASTER_ANALYSIS, waitForJob } from '../test/http/imagery-http.js';
import type { JobStatus } from '../test/helpers/answers.js';
import { childCpuMs } from './process-cpu.js';

const args = process.argv.slice(2);
const SIZE = Number(args[args.indexOf('--size') + 1] || 2000) || 2000;
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : null;
/** `--port N`: the test server's port (default: any free one), for a machine where ports are shared out. */
const PORT = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 0;
const REPEAT = args.includes('--repeat') ? Math.max(1, Number(args[args.indexOf('--repeat') + 1]) || 1) : 1;

interface Case {
  task: string;
  /** What the line says (default: the task), e.g. `FlowDirection DINF`. */
  label?: string;
  /** A function when the parameters come from an earlier case's result (Classify's definition). */
  params: Record<string, unknown> | (() => Record<string, unknown>);
  /** The engine alone on the same input: [program, args] run in sequence. */
  engine: Array<[string, string[]]>;
  engineLabel: string;
}

/**
 * A job's wall time from just before its submit to its end as the server recorded it (the admin
 * API's `endTime`, same clock: the server runs in this process), and `pollMs`, how much later this
 * client's status polls (every 100 ms, as waitForJob does) saw it end. Counting to the poll would
 * charge the job for the client's polling interval; ArcGIS clients poll every second or more.
 * `endTime` is stamped as the final state is written: that write (~0.1 s for TrainClassifier's
 * megabytes of results) falls in `pollMs`.
 */
async function timeJob(server: TestServer, token: string, task: string, params: Record<string, unknown>): Promise<{ ms: number; cpuMs: number; submitMs: number; pollMs: number; jobId: string }> {
  const form = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  // Encoded before the clock starts: URL-encoding Classify's 4.3 MB definition is the client's
  // work (0.2-1 s on a busy machine), not the server's.
  const body = new URLSearchParams({ ...form, f: 'json', token }).toString();
  const startedAt = Date.now();
  const started = performance.now();
  const cpu = childCpuMs();
  const response = await fetch(`${server.url}${RASTER_ANALYSIS}/${task}/submitJob`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const submitted = (await response.json()) as JobStatus;
  const submitMs = performance.now() - started;
  if (!submitted.jobId) throw new Error(JSON.stringify(submitted));
  const job = await waitForJob(server, task, submitted.jobId, token, 1_800_000);
  const seenMs = performance.now() - started;
  const cpuMs = childCpuMs() - cpu;
  if (job.jobStatus !== 'esriJobSucceeded') throw new Error(`${task}: ${JSON.stringify(job.messages)}`);
  const recorded = await server.get<{ endTime: number }>(`/admin/services/System/RasterAnalysisTools.GPServer/jobs/${submitted.jobId}?f=json&token=${token}`);
  const ms = recorded.endTime - startedAt;
  return { ms, cpuMs, submitMs, pollMs: seenMs - ms, jobId: submitted.jobId };
}

/**
 * The engine alone, run without blocking this process: the test server lives here too, and a
 * synchronous run longer than its keep-alive timeout (72 s) left a pooled socket that the server
 * closed just as the next job's submit went out on it (ECONNRESET, CalculateDensity after Nibble).
 */
async function timeEngine(steps: Array<[string, string[]]>, cwd: string): Promise<{ ms: number; cpuMs: number }> {
  const started = performance.now();
  const cpu = childCpuMs();
  // OpenMP's waits as run-saga.ts sets them for SAGA (spinning ones cost several times more on a busy machine).
  const env = { ...process.env, TMPDIR: cwd, GRASS_OVERWRITE: '1', OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' };
  for (const [program, programArgs] of steps) await execFileAsync(program, programArgs, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, cpuMs: childCpuMs() - cpu };
}

const execFileAsync = promisify(execFile);

const grass = (location: string, script: string): [string, string[]] => ['grass', ['--tmp-location', location, '--exec', 'bash', '-c', script]];

/** Milliseconds of wall time, and of CPU where it was measured, by section name. */
type Sections = Map<string, { ms: number; cpuMs?: number }>;

/**
 * The worker's timed sections of the last job, summed by name (CPU: the worker's threads and the
 * engines it waited for), between the submit and `other`, and the file emptied. CPU is what
 * compares on a loaded machine, where wall times swing with the other processes.
 */
function takeSections(file: string, jobMs: number, submitMs: number, pollMs = 0): Sections {
  const sums: Sections = new Map();
  if (!existsSync(file)) return sums;
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const { section, ms, cpuMs } = JSON.parse(line) as { section: string; ms: number; cpuMs: number };
    const sum = sums.get(section) ?? { ms: 0, cpuMs: 0 };
    sums.set(section, { ms: sum.ms + ms, cpuMs: sum.cpuMs! + cpuMs });
  }
  writeFileSync(file, '');
  const timed = [...sums.values()].reduce((a, b) => a + b.ms, 0);
  return new Map([['submit', { ms: submitMs }], ...sums, ['other', { ms: jobMs - submitMs - timed }], ['polls saw it after', { ms: pollMs }]]);
}

/** Each section's median over the runs (0 in a run without it), in seconds of wall time (CPU). */
function describeSections(runs: Sections[]): string {
  const names = [...new Set(runs.flatMap((run) => [...run.keys()]))];
  return names.map((name) => {
    const ms = median(runs.map((run) => run.get(name)?.ms ?? 0));
    const cpuMs = runs[0]!.get(name)?.cpuMs === undefined ? undefined : median(runs.map((run) => run.get(name)?.cpuMs ?? 0));
    return `${name} ${seconds(ms)}${cpuMs === undefined ? '' : ` (${seconds(cpuMs)})`}`;
  }).join(', ');
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** A later run's parameters: output names (`…Name`) with `_i` added, as a published name is taken. */
function renamed(params: Record<string, unknown>, run: number): Record<string, unknown> {
  if (run === 0) return params;
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, key.endsWith('Name') && typeof value === 'string' ? `${value}_${run}` : value]));
}

async function main(): Promise<void> {
  const demSource = await fetchStarsFile('olinda_dem_utm25s.tif');
  const imageSource = await fetchStarsFile('L7_ETMs.tif');
  if (!demSource.path || !imageSource.path) throw new Error('r-cran-stars is not reachable (apt-get download)');
  const share = mkdtempSync(path.join(tmpdir(), 'tessera-bench-engines-'));
  const file = (name: string) => path.join(share, name);
  execFileSync('gdal_translate', ['-q', '-outsize', String(SIZE), String(SIZE), '-r', 'cubic', '-ot', 'Float32', demSource.path, file('dem.tif')]);
  execFileSync('gdal_translate', ['-q', '-outsize', String(SIZE), String(SIZE), '-r', 'bilinear', '-b', '4', '-b', '3', '-b', '2', imageSource.path, file('image.tif')]);
  const info = JSON.parse(execFileSync('gdalinfo', ['-json', file('dem.tif')], { encoding: 'utf8' })) as { geoTransform: number[]; coordinateSystem: { wkt: string } };
  const grid = { width: SIZE, height: SIZE, geoTransform: info.geoTransform, srs: info.coordinateSystem.wkt, dataType: 'Float32' as const, noData: -9999 };
  await writeRaster(file('cost.tif'), { ...grid, value: (c, r) => 1 + ((c * 7 + r * 13) % 10) });
  await writeRaster(file('warm.tif'), { ...grid, width: 8, height: 8, value: (c, r) => c + r });
  await writeRaster(file('sources.tif'), { ...grid, value: (c, r) => (c % 500 === 250 && r % 500 === 250 ? 1 + c + r : -9999) });
  await writeRaster(file('mask.tif'), { ...grid, value: (c) => (Math.floor(c / 50) % 4 === 0 ? -9999 : 1) });
  const [x0, cell, , y0] = info.geoTransform as [number, number, number, number];
  const points = Array.from({ length: 2000 }, (_, i) => ({ x: x0 + ((i * 7919) % SIZE) * cell, y: y0 - ((i * 104729) % SIZE) * cell, w: 1 + (i % 5) }));
  const pointSet = { geometryType: 'esriGeometryPoint', spatialReference: { wkt: info.coordinateSystem.wkt }, features: points.map((p, i) => ({ geometry: { x: p.x, y: p.y }, attributes: { OBJECTID: i + 1, w: p.w } })) };
  writeFileSync(file('points.geojson'), JSON.stringify({ type: 'FeatureCollection', features: points.map((p) => ({ type: 'Feature', properties: { w: p.w }, geometry: { type: 'Point', coordinates: [p.x, p.y] } })) }));
  const radius = 20 * cell;
  const extent = { xmin: Math.min(...points.map((p) => p.x)), xmax: Math.max(...points.map((p) => p.x)), ymin: Math.min(...points.map((p) => p.y)), ymax: Math.max(...points.map((p) => p.y)) };
  const densityCell = cell * 2;
  const cols = Math.ceil((extent.xmax - extent.xmin) / densityCell);
  const rows = Math.ceil((extent.ymax - extent.ymin) / densityCell);

  // Training samples: 60 squares of 10×10 cells over the image, three classes by position.
  const square = (col: number, row: number) => [[[x0 + col * cell, y0 - row * cell], [x0 + (col + 10) * cell, y0 - row * cell], [x0 + (col + 10) * cell, y0 - (row + 10) * cell], [x0 + col * cell, y0 - (row + 10) * cell], [x0 + col * cell, y0 - row * cell]]];
  const samples = Array.from({ length: 60 }, (_, i) => ({ rings: square(((i * 7919) % (SIZE - 20)) + 5, ((i * 104729) % (SIZE - 20)) + 5), classvalue: 1 + (i % 3) }));
  const sampleSet = { geometryType: 'esriGeometryPolygon', spatialReference: { wkt: info.coordinateSystem.wkt }, features: samples.map((p, i) => ({ geometry: { rings: p.rings }, attributes: { OBJECTID: i + 1, classvalue: p.classvalue, classname: `Class ${p.classvalue}` } })) };
  writeFileSync(file('samples.geojson'), JSON.stringify({ type: 'FeatureCollection', features: samples.map((p) => ({ type: 'Feature', properties: { classvalue: p.classvalue }, geometry: { type: 'Polygon', coordinates: p.rings } })) }));
  execFileSync('ogr2ogr', ['-f', 'GPKG', '-a_srs', info.coordinateSystem.wkt, '-nln', 'samples', file('samples.gpkg'), file('samples.geojson')]);
  let classifierDefinition = '';

  const sectionsFile = file('sections.jsonl');
  // Read by the job worker when it starts (it inherits this environment).
  process.env.TESSERA_SECTION_TIMES = sectionsFile;
  const server = await startTestServer({ port: PORT });
  const token = await server.token();
  await registerFileShare(server, 'bench', share, token);
  const uri = (name: string) => ({ uri: `/fileShares/bench/${name}` });
  const watershed = grass(file('dem.tif'), `r.in.gdal input=${file('dem.tif')} output=dem --quiet && g.region raster=dem && r.watershed -s elevation=dem drainage=d accumulation=a --quiet && r.out.gdal input=d output=${file('ws.tif')} --quiet`);
  // What CalculateTravelCost and DetermineTravelCostPathAsPolyline run: inputs linked (r.external),
  // r.cost's maps written straight to GeoTIFFs (r.external.out), no import or export copies.
  const spreadCosts = `r.external -o input=${file('cost.tif')} output=cost --quiet && g.region raster=cost && r.external -o input=${file('sources.tif')} output=start --quiet && r.external.out directory=${share} format=GTiff extension=tif && r.cost input=cost start_raster=start output=acc outdir=dir --quiet`;
  writeFileSync(file('dest.txt'), `${x0 + 10.5 * cell}|${y0 - 1990.5 * cell}|1\n`);
  const cases: Case[] = [
    { task: 'Fill', params: { inputSurfaceRaster: uri('dem.tif'), outputName: 'b_fill' }, engine: [['saga_cmd', ['ta_preprocessor', '4', '-ELEV', file('dem.tif'), '-FILLED', file('fill.tif'), '-MINSLOPE', '0']]], engineLabel: 'saga_cmd Fill Sinks (Wang & Liu)' },
    { task: 'FlowDirection', params: { inputSurfaceRaster: uri('dem.tif'), outputFlowDirectionName: 'b_fdir' }, engine: [watershed], engineLabel: 'GRASS r.watershed -s (for scale; the task runs D8 in the worker)' },
    { task: 'FlowAccumulation', params: { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/b_fdir/ImageServer` }, outputName: 'b_facc' }, engine: [watershed], engineLabel: 'GRASS r.watershed -s (for scale; the task runs D8 in the worker)' },
    {
      task: 'FlowDirection',
      label: 'FlowDirection DINF',
      params: { inputSurfaceRaster: uri('dem.tif'), outputFlowDirectionName: 'b_fdinf', flowDirectionType: 'DINF' },
      engine: [['saga_cmd', ['ta_morphometry', '0', '-ELEVATION', file('dem.tif'), '-ASPECT', file('aspect.sdat'), '-METHOD', '1', '-UNIT_SLOPE', '2', '-UNIT_ASPECT', '1']]],
      engineLabel: 'saga_cmd Slope, Aspect (Tarboton facets; the aspect alone as a .sdat grid, as the task runs it without a drop raster)',
    },
    { task: 'FlowAccumulation', label: 'FlowAccumulation DINF', params: { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/b_fdinf/ImageServer` }, outputName: 'b_faccdinf' }, engine: [['saga_cmd', ['ta_hydrology', '0', '-ELEVATION', file('dem.tif'), '-FLOW', file('flowdinf.tif'), '-METHOD', '3', '-FLOW_UNIT', '0']]], engineLabel: 'saga_cmd Flow Accumulation D-inf (for scale; the task splits the angles in the worker)' },
    { task: 'FlowDirection', label: 'FlowDirection MFD', params: { inputSurfaceRaster: uri('dem.tif'), outputFlowDirectionName: 'b_fmfd', flowDirectionType: 'MFD' }, engine: [watershed], engineLabel: 'GRASS r.watershed -s (for scale; D8 codes + the surface band, no engine)' },
    { task: 'FlowAccumulation', label: 'FlowAccumulation MFD', params: { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/b_fmfd/ImageServer` }, outputName: 'b_faccmfd', flowDirectionType: 'MFD' }, engine: [['saga_cmd', ['ta_hydrology', '0', '-ELEVATION', file('dem.tif'), '-FLOW', file('flowmfd.tif'), '-METHOD', '6', '-FLOW_UNIT', '0']]], engineLabel: 'saga_cmd Flow Accumulation, Qin et al. MFD' },
    {
      task: 'CalculateTravelCost',
      params: { inputSourceRasterOrFeatures: uri('sources.tif'), inputCostRaster: uri('cost.tif'), outputDistanceName: 'b_cost', outputBacklinkName: 'b_back' },
      engine: [grass(file('cost.tif'), spreadCosts)],
      engineLabel: 'GRASS r.cost (linked in, spread, written out as GeoTIFFs, as the task runs it)',
    },
    {
      task: 'DetermineTravelCostPathAsPolyline',
      params: { inputSourceRasterOrFeatures: uri('sources.tif'), inputCostRaster: uri('cost.tif'), inputDestinationRasterOrFeatures: { geometryType: 'esriGeometryPoint', spatialReference: { wkt: info.coordinateSystem.wkt }, features: [{ geometry: { x: x0 + 10.5 * cell, y: y0 - 1990.5 * cell }, attributes: { OBJECTID: 1 } }] }, outputPolylineName: 'b_path' },
      engine: [
        ['grass', ['-c', file('cost.tif'), file('path-location'), '--exec', 'bash', '-c', spreadCosts]],
        ['grass', [file('path-location/PERMANENT'), '--exec', 'bash', '-c', `v.in.ascii input=${file('dest.txt')} output=dest_starts separator=pipe x=1 y=2 cat=3 --quiet && r.path input=dir format=degree start_points=dest_starts vector_path=p --quiet && v.out.ascii input=p output=${file('path.txt')} type=line format=standard precision=12 --quiet`]],
      ],
      engineLabel: 'GRASS r.cost, then r.path in a second run on the same location (as the task runs them)',
    },
    {
      task: 'Nibble',
      params: { inputRaster: uri('dem.tif'), inputMaskRaster: uri('mask.tif'), outputName: 'b_nibble' },
      // Nibble in GRASS as a user would run it with the task's defaults (ALL_VALUES, PRESERVE_NODATA):
      // the mask applied (sources), nearest values grown, input NoData kept, the result exported.
      // Linked (r.external), as the job links: GRASS's way to read a GeoTIFF without a copy.
      engine: [
        grass(
          file('dem.tif'),
          [
            `r.external -o input=${file('dem.tif')} output=dem --quiet`,
            `r.external -o input=${file('mask.tif')} output=mask --quiet`,
            'g.region raster=dem',
            'r.mapcalc "src = if(isnull(mask), null(), if(isnull(dem), float(-1.0e30), dem))" --quiet',
            'r.grow.distance input=src value=near --quiet',
            'r.mapcalc "out = float(if(isnull(dem) || near == float(-1.0e30), null(), near))" --quiet',
            `r.out.gdal -c input=out output=${file('near.tif')} type=Float32 --quiet`,
          ].join(' && '),
        ),
      ],
      engineLabel: 'GRASS: link both, r.mapcalc, r.grow.distance, r.mapcalc, r.out.gdal',
    },
    {
      task: 'CalculateDensity',
      params: { inputPointOrLineFeatures: pointSet, countField: 'w', searchDistance: { distance: radius, units: 'Meters' }, outputCellSize: { distance: densityCell, units: 'Meters' }, outputName: 'b_density' },
      engine: [['saga_cmd', ['grid_gridding', '6', '-POINTS', file('points.geojson'), '-POPULATION', 'w', '-RADIUS', String(radius), '-KERNEL', '0', '-TARGET_DEFINITION', '0', '-TARGET_USER_SIZE', String(densityCell), '-TARGET_USER_XMIN', String(extent.xmin + densityCell / 2), '-TARGET_USER_XMAX', String(extent.xmin + (cols - 0.5) * densityCell), '-TARGET_USER_YMIN', String(extent.ymax - (rows - 0.5) * densityCell), '-TARGET_USER_YMAX', String(extent.ymax - densityCell / 2), '-TARGET_OUT_GRID', file('density.tif')]]],
      engineLabel: `saga_cmd Kernel Density (2,000 points, ${cols}×${rows})`,
    },
    {
      task: 'Segment',
      params: { inputRaster: uri('image.tif'), outputName: 'b_segment' },
      engine: [['otbcli_LargeScaleMeanShift', ['-in', file('image.tif'), '-spatialr', '6', '-ranger', '16', '-minsize', '20', '-mode', 'raster', '-mode.raster.out', file('labels.tif'), 'uint32', '-cleanup', '1']]],
      engineLabel: 'otbcli_LargeScaleMeanShift',
    },
    {
      task: 'TrainClassifier',
      params: { inputRaster: uri('image.tif'), inputTrainingSampleJSON: sampleSet, classifierParameters: { method: 'rt', params: { maxNumTrees: 50, maxTreeDepth: 30 } } },
      engine: [['otbcli_TrainImagesClassifier', ['-io.il', file('image.tif'), '-io.vd', file('samples.gpkg'), '-sample.vfn', 'classvalue', '-sample.mt', '1000', '-sample.vtr', '0.3', '-classifier', 'rf', '-classifier.rf.nbtrees', '50', '-classifier.rf.max', '30', '-classifier.rf.min', '1', '-rand', '1', '-io.out', file('model.txt')]]],
      engineLabel: 'otbcli_TrainImagesClassifier (random trees, 60 polygons)',
    },
    {
      task: 'Classify',
      params: () => ({ inputRaster: uri('image.tif'), inputClassifierDefinition: classifierDefinition, outputName: 'b_classify' }),
      engine: [['otbcli_ImageClassifier', ['-in', file('image.tif'), '-model', file('model.txt'), '-out', file('classified.tif'), 'uint8']]],
      engineLabel: 'otbcli_ImageClassifier (the model TrainClassifier wrote alone)',
    },
  ];
  const runsSaid = REPEAT === 1 ? 'one run each' : `medians of ${REPEAT} runs, job and engine alone in turn`;
  console.log(`Analysis engines on ${SIZE}×${SIZE} cells (${runsSaid}; the machine is shared, so expect noise); load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  // A job worker starts on the first job (a Node process loading the task modules: seconds on a
  // busy machine); one tiny job first, so that every case measures a warm worker as a running
  // server has.
  await timeJob(server, token, 'FlowDirection', { inputSurfaceRaster: uri('warm.tif'), outputFlowDirectionName: 'b_warm' });
  takeSections(sectionsFile, 0, 0);
  for (const c of cases) {
    const label = c.label ?? c.task;
    if (ONLY && !ONLY.includes(c.task) && !ONLY.includes(label)) continue;
    const runs: Array<{ job: { ms: number; cpuMs: number }; engine: { ms: number; cpuMs: number }; sections: Sections }> = [];
    try {
      for (let i = 0; i < REPEAT; i++) {
        const job = await timeJob(server, token, c.task, renamed(typeof c.params === 'function' ? c.params() : c.params, i));
        const sections = takeSections(sectionsFile, job.ms, job.submitMs, job.pollMs);
        if (c.task === 'TrainClassifier') {
          const result = await server.get<{ value: string }>(`${RASTER_ANALYSIS}/TrainClassifier/jobs/${job.jobId}/results/outputClassifierDefinition?f=json&token=${token}`);
          classifierDefinition = result.value;
        }
        // `grass -c` makes a new location: the last run's must go first.
        rmSync(file('path-location'), { recursive: true, force: true });
        runs.push({ job, engine: await timeEngine(c.engine, share), sections });
      }
    } catch (error) {
      console.log(`${label.padEnd(22)} failed: ${String(error).split('\n')[0]}`);
      continue;
    }
    const middle = (pick: (run: (typeof runs)[number]) => number) => median(runs.map(pick));
    const ratios = runs.map((run) => run.job.ms / run.engine.ms);
    const spread = REPEAT > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '';
    const overhead = `overhead ${seconds(middle((run) => run.job.ms - run.engine.ms))} s (${seconds(middle((run) => run.job.cpuMs - run.engine.cpuMs))})`;
    console.log(`${label.padEnd(22)} job ${seconds(middle((run) => run.job.ms)).padStart(7)} s (${seconds(middle((run) => run.job.cpuMs))})   engine ${seconds(middle((run) => run.engine.ms)).padStart(7)} s (${seconds(middle((run) => run.engine.cpuMs))})   ratio ${median(ratios).toFixed(2)}×${spread}   ${overhead}   (${c.engineLabel})`);
    if (runs[0]!.sections.size > 0) console.log(`${''.padEnd(22)} ${describeSections(runs.map((run) => run.sections))}`);
  }
  await server.close();
  rmSync(share, { recursive: true, force: true });
}

await main();
