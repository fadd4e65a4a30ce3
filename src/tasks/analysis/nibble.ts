import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { TaskContext, TaskDefinition } from '../../jobs/task.js';
import { ANALYSIS_CONTEXT_PARAM, choiceParam, isGiven, outputNameParam, rasterInputParam, rasterResultParam, readChoice } from './analysis-params.js';
import { startEngineJob } from './engine-job.js';
import { linkRaster, runGrass, writeRastersTo } from './engines/run-grass.js';
import { writeGrid as writeGridWithOverviews } from './grid-io.js';
import { readFloatGrid, type FloatGrid } from './hydrology/float-grid.js';
import { inFloat32Range, writeGrid } from './hydrology/grid.js';
import { readSourceFloatGrid, resolveInputGrids } from './hydrology/read-input-grid.js';
import { rollbackAnalysis } from './output-service.js';
import { publishResultFile } from './publish-result-file.js';

/** Stands for an input NoData cell that may spread (ALL_VALUES) through GRASS, which has no such value. */
const NODATA_SOURCE = Math.fround(-1.0e30);

/**
 * Nibble (raster-analysis.md §8): cells where the mask is NoData take the value of the nearest
 * cell outside it, found by GRASS `r.grow.distance` (Euclidean). `nibbleValues` ALL_VALUES lets
 * input NoData spread like a value; DATA_ONLY uses data cells only. `nibbleNodata`
 * PRESERVE_NODATA keeps input NoData cells under the mask NoData; PROCESS_NODATA fills them too.
 * The sources and the result are composed here, not in GRASS: linking both inputs and running
 * r.mapcalc twice and r.out.gdal (one process after another) cost ~0.6 s more CPU and wall on
 * 2,000² cells than these loops beside GRASS's start (bench/engines.ts, issue 13).
 */
export const nibble: TaskDefinition = {
  name: 'Nibble',
  displayName: 'Nibble',
  description: 'Replaces cells of a raster under a mask with the values of their nearest neighbours.',
  parameters: [
    rasterInputParam('inputRaster', 'Input Raster'),
    rasterInputParam('inputMaskRaster', 'Input Mask Raster'),
    outputNameParam('outputName', 'Output Name'),
    choiceParam('nibbleValues', 'Nibble Values', ['ALL_VALUES', 'DATA_ONLY'], 'ALL_VALUES'),
    choiceParam('nibbleNodata', 'Nibble NoData', ['PRESERVE_NODATA', 'PROCESS_NODATA'], 'PRESERVE_NODATA'),
    rasterInputParam('inputZoneRaster', 'Input Zone Raster', false),
    ANALYSIS_CONTEXT_PARAM,
    rasterResultParam(),
  ],
  execute: runNibble,
  rollback: rollbackAnalysis,
};

async function runNibble(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs } = context;
  const job = await startEngineJob(context, ['outputName']);
  const allValues = readChoice('nibbleValues', inputs.nibbleValues, ['ALL_VALUES', 'DATA_ONLY'], 'ALL_VALUES') === 'ALL_VALUES';
  const processNoData = readChoice('nibbleNodata', inputs.nibbleNodata, ['PRESERVE_NODATA', 'PROCESS_NODATA'], 'PRESERVE_NODATA') === 'PROCESS_NODATA';
  if (isGiven(inputs.inputZoneRaster)) context.warning('inputZoneRaster is not applied by this server yet: the nearest cell is taken from any zone.');
  // As Float32 where the band's type fits (most inputs; masks): half the bytes and fresh pages.
  const rasters = await resolveInputGrids(job, ['inputRaster', 'inputMaskRaster'], readSourceFloatGrid);
  const dir = path.join(context.scratchDir, 'grass');
  await mkdir(dir, { recursive: true });
  const sourceFile = path.join(dir, 'sources.tif');
  const nearestFile = path.join(dir, 'nearest.tif');
  let grids: FloatGrid[] = [];
  context.progress(10, 'Nearest values (GRASS r.grow.distance)');
  await runGrass({
    task: 'Nibble',
    location: rasters.files[0]!,
    commands: [
      // Linked, not imported: r.grow.distance reads the GeoTIFF through GDAL without a copy,
      // and writes nearest.tif (FCELL: Float32, the values unchanged) without one either.
      // No g.region: the location, made from the input, has its grid as the region already.
      linkRaster(sourceFile, 'sources'),
      writeRastersTo(dir),
      ['r.grow.distance', 'input=sources', 'value=nearest', 'metric=euclidean', '--quiet'],
    ],
    scratchDir: context.scratchDir,
    signal: context.signal,
    onProgress: (fraction, step) => context.progress(10 + fraction * 70, `GRASS ${step}`),
    // Read and written while GRASS starts (its location from the input, on the same grid).
    prepare: async () => {
      grids = await writeNibbleSources(rasters.read(), sourceFile, allValues);
    },
  });
  const [input, mask] = grids as [FloatGrid, FloatGrid];
  // Float32 as GRASS wrote it (FCELL), not widened: ~30 ms of CPU on 2,000² cells against ~130.
  const nearest = (await readFloatGrid(nearestFile)).values;
  // The result in its own Float32 type, NaN for NoData: written as it is, with its overviews made
  // from it in memory (publishing need not read it back for them). Input values past the float
  // range are clamped as writeGrid (hydrology/grid.ts) clamps them.
  const values = new Float32Array(input.values.length);
  for (let i = 0; i < values.length; i++) {
    const v = input.values[i]!;
    const n = nearest[i]!;
    if (!Number.isNaN(mask.values[i]!)) values[i] = inFloat32Range(v);
    else values[i] = (Number.isNaN(v) && !processNoData) || n === NODATA_SOURCE ? NaN : n;
  }
  context.progress(85, 'Publishing');
  const outputRaster = await publishResultFile(job, 'outputName', 'Nibbled raster', (file) =>
    writeGridWithOverviews(file, { ...input, srsWkt: input.srsWkt ?? '' }, [values], 'Float32', undefined, { reuseBands: true }),
  );
  context.progress(100, 'Done');
  return { outputRaster };
}

/**
 * Writes what r.grow.distance spreads: the input's values where the mask has data, NoData under
 * it, and input NoData as NODATA_SOURCE when it spreads too (`allValues`). Resolves to the grids.
 */
async function writeNibbleSources(read: Promise<FloatGrid[]>, file: string, allValues: boolean): Promise<[FloatGrid, FloatGrid]> {
  const [input, mask] = (await read) as [FloatGrid, FloatGrid];
  // Plain loops here and below: Float64Array map with a callback took ~0.44 s a pass on 2000² cells, a loop ~0.02 s.
  // The input's own array type: writeGrid narrows doubles to Float32 (clamped), as the result.
  const sources = input.values instanceof Float32Array ? new Float32Array(input.values.length) : new Float64Array(input.values.length);
  for (let i = 0; i < sources.length; i++) {
    const v = input.values[i]!;
    sources[i] = Number.isNaN(mask.values[i]!) ? NaN : Number.isNaN(v) ? (allValues ? NODATA_SOURCE : NaN) : v;
  }
  // Float32 as the result is: the nearest values pass through unchanged (GRASS widens them to
  // DCELL and r.out.gdal narrows them back exactly), at half the bytes to write and read.
  await writeGrid(file, input, sources, 'Float32', true);
  return [input, mask];
}
