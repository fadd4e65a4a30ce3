import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TaskError, type TaskContext, type TaskDefinition } from '../jobs/task.js';
import { prepareRasters, readAnalysisEnvironment } from './analysis/analysis-environment.js';
import { ANALYSIS_CONTEXT_PARAM, analysisDeps, gdalStep, input, output, outputNameParam, readBool, readChoice, workFolder } from './analysis/analysis-task.js';
import { cellSizeOf, readGrid } from './analysis/grid-io.js';
import { readOutputName } from './analysis/output-name.js';
import { publishFeatureOutput, rollbackAnalysis } from './analysis/output-service.js';
import { resolveRasterInput } from './analysis/raster-input.js';
import { computeZonalStatistics, ORDER_STATISTICS, type ZoneStatistics } from './analysis/zonal-statistics.js';
import { zonesOnGrid } from './analysis/zones.js';

const TABLE_STATISTICS = ['ALL', 'MEAN', 'MAJORITY', 'MAXIMUM', 'MEDIAN', 'MINIMUM', 'MINORITY', 'PERCENTILE', 'RANGE', 'STD', 'SUM', 'VARIETY', 'MIN_MAX', 'MEAN_STD', 'MIN_MAX_MEAN'] as const;

/** Columns per statisticType; COUNT and AREA are always written, as ArcGIS does. */
const COLUMNS: Record<(typeof TABLE_STATISTICS)[number], Array<keyof ZoneStatistics>> = {
  ALL: ['min', 'max', 'range', 'mean', 'std', 'sum', 'variety', 'majority', 'minority', 'median', 'percentile'],
  MEAN: ['mean'],
  MAJORITY: ['majority'],
  MAXIMUM: ['max'],
  MEDIAN: ['median'],
  MINIMUM: ['min'],
  MINORITY: ['minority'],
  PERCENTILE: ['percentile'],
  RANGE: ['range'],
  STD: ['std'],
  SUM: ['sum'],
  VARIETY: ['variety'],
  MIN_MAX: ['min', 'max'],
  MEAN_STD: ['mean', 'std'],
  MIN_MAX_MEAN: ['min', 'max', 'mean'],
};

/**
 * ZonalStatisticsAsTable: one row per zone with COUNT, AREA and the asked statistics of a value
 * raster, published as a hosted table (`outputTable`).
 */
export const zonalStatisticsAsTable: TaskDefinition = {
  name: 'ZonalStatisticsAsTable',
  displayName: 'Zonal Statistics As Table',
  description: 'Summarizes a raster within zones, as a table.',
  requiredPrivilege: 'premium:publisher:rasteranalysis',
  parameters: [
    input('inputZoneRasterOrFeatures', 'Input Zone Raster or Features', 'Zones: a raster or features.', true),
    input('zoneField', 'Zone Field', 'The field defining zones (default Value).'),
    input('inputValueRaster', 'Input Value Raster', 'The raster whose values are summarized.', true),
    input('ignoreNodata', 'Ignore NoData', 'true (default): cells without values are left out of a zone.', false, 'GPBoolean'),
    input('statisticType', 'Statistic Type', `${TABLE_STATISTICS.join(', ')} (default ALL).`),
    input('percentileValue', 'Percentile Value', '0–100 (default 90).'),
    outputNameParam(),
    ANALYSIS_CONTEXT_PARAM,
    output('outputTable', 'Output Table'),
  ],
  execute: runZonalStatisticsAsTable,
  rollback: rollbackAnalysis,
};

async function runZonalStatisticsAsTable(context: TaskContext): Promise<Record<string, unknown>> {
  const { inputs, signal } = context;
  const deps = analysisDeps(context);
  const work = await workFolder(context);
  const outputName = await readOutputName('outputName', inputs.outputName, 'FeatureServer', deps);
  const statistic = readChoice('statisticType', inputs.statisticType, TABLE_STATISTICS, 'ALL');
  const percentile = readPercentile(inputs.percentileValue);
  const ignoreNoData = readBool(inputs.ignoreNodata ?? inputs.ignoreNoData, true);
  const env = await readAnalysisEnvironment(inputs.context, deps, work);
  const raster = await resolveRasterInput('inputValueRaster', inputs.inputValueRaster, deps, work, signal);
  const [source] = await gdalStep("Reading 'inputValueRaster'", () => prepareRasters([raster], env, work, signal));
  const values = await readGrid(source);
  context.progress(10, 'Reading the zones');
  const zones = await zonesOnGrid('inputZoneRasterOrFeatures', inputs.inputZoneRasterOrFeatures, typeof inputs.zoneField === 'string' && inputs.zoneField ? inputs.zoneField : 'Value', values, deps, work, signal);
  context.progress(40, 'Calculating the statistics');
  const columns = COLUMNS[statistic];
  const stats = computeZonalStatistics(zones.zone, zones.valid, values.values, values.valid, { percentile, orderStatistics: columns.some((c) => ORDER_STATISTICS.has(c)) });
  const [cx, cy] = cellSizeOf(values);
  const header = [zones.fieldName, 'COUNT', 'AREA', ...columns.map((c) => columnName(c, percentile))];
  const rows = [...stats.values()]
    .filter((s) => ignoreNoData || !s.hasMissing)
    .sort((a, b) => compare(zones.labels[a.zone], zones.labels[b.zone]))
    .map((s) => [zones.labels[s.zone], s.count, s.count * cx * cy, ...columns.map((c) => s[c] as number)]);
  if (rows.length === 0) throw new TaskError('No zone overlaps cells of the value raster.');
  const file = path.join(work, `${outputName.name}.csv`);
  await writeFile(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
  context.progress(70, 'Publishing the table');
  const outputTable = await publishFeatureOutput(file, 'csv', outputName, context, `ZonalStatisticsAsTable of ${raster.label}`);
  context.progress(100, 'Done');
  return { outputTable };
}

function columnName(stat: keyof ZoneStatistics, percentile: number): string {
  return stat === 'percentile' ? `PCT${percentile}` : stat.toUpperCase();
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

function csvCell(value: unknown): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `percentileValue`: 0–100, default 90. */
export function readPercentile(value: unknown): number {
  if (value === undefined || value === null || value === '') return 90;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new TaskError("'percentileValue' must be a number from 0 to 100.");
  return n;
}
