import path from 'node:path';
import type { TaskContext, TaskDefinition } from '../jobs/task.js';
import { applyMask, prepareRasters, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readBool, readChoice, workFolder } from './analysis/analysis-task.js';
import { readGrid, writeGrid } from './analysis/grid-io.js';
import { readOutputName } from './analysis/output-name.js';
import { publishRasterOutput, rollbackAnalysis } from './analysis/output-service.js';
import { resolveRasterInput } from './analysis/raster-input.js';
import { computeZonalStatistics, ORDER_STATISTICS, pickStatistic, STATISTIC_TYPES, statisticField } from './analysis/zonal-statistics.js';
import { zonesOnGrid } from './analysis/zones.js';
import { readPercentile } from './zonal-statistics-as-table.js';

/**
 * SummarizeRasterWithin (§8): every cell of a zone takes one statistic of the values raster over
 * that zone (zonal statistics as a raster, on the values raster's grid). Zones are a raster
 * (`zoneField` Value) or features (any field). With `ignoreMissingValues` false a zone touching
 * a cell without a value gets NoData, as ArcGIS does.
 */
export const summarizeRasterWithin: TaskDefinition = {
  name: 'SummarizeRasterWithin',
  displayName: 'Summarize Raster Within',
  description: 'Summarizes a raster within zones, as a raster.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputZoneLayer', 'Input Zone Layer', 'Zones: a raster or features.', true),
    input('zoneField', 'Zone Field', 'The field defining zones (default Value).'),
    input('inputRasterLayertoSummarize', 'Input Raster Layer to Summarize', 'The raster whose values are summarized.', true),
    input('statisticType', 'Statistic Type', STATISTIC_TYPES.join(', ') + ' (default Mean).'),
    input('percentileValue', 'Percentile Value', 'For Percentile: 0–100 (default 90).'),
    input('ignoreMissingValues', 'Ignore Missing Values', 'true (default): cells without values are left out of a zone.', false, 'GPBoolean'),
    outputNameParam(),
    ANALYSIS_CONTEXT_PARAM,
    output('outputRaster', 'Output Raster'),
  ],
  execute: runSummarizeRasterWithin,
  rollback: rollbackAnalysis,
};

async function runSummarizeRasterWithin(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'ImageServer', deps);
  const statistic = readChoice('statisticType', inputs.statisticType, STATISTIC_TYPES, 'Mean');
  const percentile = readPercentile(inputs.percentileValue);
  const ignoreMissing = readBool(inputs.ignoreMissingValues, true);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const raster = await resolveRasterInput('inputRasterLayertoSummarize', inputs.inputRasterLayertoSummarize, deps, work, signal);
  const [source] = await gdalStep("Reading 'inputRasterLayertoSummarize'", () => prepareRasters([raster], env, work, signal));
  context.progress(10, 'Reading the zones');
  const values = await readGrid(source);
  const zones = await zonesOnGrid('inputZoneLayer', inputs.inputZoneLayer, typeof inputs.zoneField === 'string' && inputs.zoneField ? inputs.zoneField : 'Value', values, deps, work, signal);
  context.progress(40, `Calculating the ${statistic} of each zone`);
  const stats = computeZonalStatistics(zones.zone, zones.valid, values.values, values.valid, { percentile, orderStatistics: ORDER_STATISTICS.has(statisticField(statistic)) });
  const type = statistic === 'Variety' ? 'Int32' : 'Float32';
  // Straight into the output type's array, which writeGrid then writes as it is.
  const out = type === 'Int32' ? new Int32Array(values.values.length) : new Float32Array(values.values.length);
  const valid = new Uint8Array(values.values.length);
  const byZone = new Float64Array(zones.labels.length).fill(Number.NaN);
  for (const [zone, s] of stats) if (ignoreMissing || !s.hasMissing) byZone[zone] = pickStatistic(s, statistic);
  for (let i = 0; i < out.length; i++) {
    if (!zones.valid[i]) continue;
    const value = byZone[zones.zone[i]];
    if (Number.isNaN(value)) continue;
    out[i] = value;
    valid[i] = 1;
  }
  const file = path.join(work, 'summary.tif');
  await writeGrid(file, values, [out], type, valid, { reuseBands: true });
  await applyMask(file, env, work, signal);
  context.progress(70, 'Publishing the imagery layer');
  const outputRaster = await publishRasterOutput(file, outputName, context, `SummarizeRasterWithin (${statistic}) of ${raster.label}`);
  context.progress(100, 'Done');
  return { outputRaster };
}
