import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TaskError } from '../../../jobs/task.js';
import { runGdalCommand } from '../../../raster/run-gdal-command.js';
import { gdalStep } from '../analysis-task.js';
import { enginePoints, type EngineJob } from '../engine-job.js';
import { resolveFeatureInput } from '../feature-input.js';
import { readVectorFacts, requireField } from '../vector-facts.js';
import { readGrid, writeGrid, type GridShape } from '../hydrology/grid.js';
import { burnPourPoints } from '../hydrology/pour-points.js';
import { readInputGridsOrShapes, type InputGrid, type InputShape } from '../hydrology/read-input-grid.js';
import { isFeatureInput } from '../source-input.js';

/** A raster-or-features parameter burnt onto the base grid, and the field naming its cells' values. */
export interface CellInput {
  param: string;
  field?: string | undefined;
  /** Burn whole shapes (regions) with gdal_rasterize instead of one cell per feature. */
  shapes?: boolean;
  /**
   * Only an engine reads this input, and not its values (r.cost starts from every cell with
   * data): a raster comes back as its file, linked as it is, no cell read. Features are burnt.
   */
  linked?: boolean;
}

/** An input on the base grid: its cells (read or burnt), or the file of a `linked` raster. */
export type CellsOrFile = { cells: Float64Array; file?: undefined } | { cells?: undefined; file: string };

/**
 * Reads a base raster (cost surface, flow direction) and raster-or-features inputs (sources,
 * destinations, pour points) as cells on its grid, NoData (NaN) where there is none. Raster
 * inputs are resolved together with the base raster, so `context` puts them all on one grid;
 * point features are burnt into the cells they fall in, valued by `field` (default OBJECTID).
 * The base's cells are read only with `baseCells` (burning needs its grid alone).
 */
export async function readInputsOnBase(job: EngineJob, baseParam: string, inputs: CellInput[], baseCells: true): Promise<{ base: InputGrid; inputs: CellsOrFile[] }>;
export async function readInputsOnBase(job: EngineJob, baseParam: string, inputs: CellInput[], baseCells: false): Promise<{ base: InputShape; inputs: CellsOrFile[] }>;
export async function readInputsOnBase(job: EngineJob, baseParam: string, inputs: CellInput[], baseCells: boolean): Promise<{ base: InputShape; inputs: CellsOrFile[] }> {
  const features = await Promise.all(inputs.map((input) => isFeatureInput(input.param, job.context.inputs[input.param], job.deps)));
  const rasters = inputs.filter((_, i) => !features[i]);
  const grids = await readInputGridsOrShapes(job, [baseParam, ...rasters.map((input) => input.param)], [baseCells, ...rasters.map((input) => !input.linked)]);
  const base = grids[0]!;
  const read: CellsOrFile[] = [];
  let next = 1;
  for (const [i, input] of inputs.entries()) {
    if (!features[i]) {
      const grid = grids[next++]!;
      read.push('values' in grid ? { cells: grid.values } : { file: grid.source });
      continue;
    }
    read.push({ cells: await featureCells(job, baseParam, base, input) });
  }
  return { base, inputs: read };
}

/** A feature input burnt onto the base grid (see `readInputsOnBase`): it needs the grid alone. */
export async function featureCells(job: EngineJob, baseParam: string, base: InputShape, input: CellInput): Promise<Float64Array> {
  if (input.shapes) return rasterizeShapes(job, input, base);
  const points = await enginePoints(job, input.param, base.srsWkt);
  const burnt = burnPourPoints(base, points, input.field);
  if (burnt.burnt === 0) throw new TaskError(`No feature of '${input.param}' lies on the raster '${baseParam}'.`);
  return burnt.values;
}

/** readInputsOnBase with every input's cells read or burnt, and the base's too. */
export async function readBaseAndCells(job: EngineJob, baseParam: string, inputs: CellInput[]): Promise<{ base: InputGrid; cells: Float64Array[] }> {
  const read = await readInputsOnBase(job, baseParam, inputs.map((input) => ({ ...input, linked: false })), true);
  return { base: read.base, cells: read.inputs.map((input) => input.cells!) };
}

/** The base raster and one raster-or-features input on its grid (see `readBaseAndCells`). */
export async function readCostAndSources(job: EngineJob, costParam: string, sourceParam: string, field: string | undefined): Promise<{ cost: InputGrid; sources: Float64Array }> {
  const { base, cells } = await readBaseAndCells(job, costParam, [{ param: sourceParam, field }]);
  return { cost: base, sources: cells[0]! };
}

/**
 * The cost surface's grid and a file of source cells on it, for GRASS to link. When the cells'
 * values are not needed (r.cost starts from every cell with data; only `nearest` reads the
 * values), a raster source is linked as it is: neither input is read here, nor a copy written.
 * Otherwise the sources are read (or burnt) and written as Int32 (`writeSourceCells`).
 */
export async function costAndSourceFiles(job: EngineJob, costParam: string, sourceParam: string, field: string | undefined, withValues: boolean): Promise<{ cost: InputShape; sourceFile: string }> {
  const { base, inputs } = await readInputsOnBase(job, costParam, [{ param: sourceParam, field, linked: !withValues }], false);
  return { cost: base, sourceFile: await cellsFile(job, 'sources', base, inputs[0]!) };
}

/** The file GRASS links for an input: a linked raster's own, or its cells written as Int32 (`writeSourceCells`). */
export function cellsFile(job: EngineJob, name: string, grid: GridShape, input: CellsOrFile): Promise<string> {
  return input.file !== undefined ? Promise.resolve(input.file) : writeSourceCells(job, name, grid, input.cells);
}

/** Writes source cells as an Int32 GeoTIFF on the grid (what GRASS reads) and returns its path. */
export async function writeSourceCells(job: EngineJob, name: string, grid: GridShape, cells: Float64Array): Promise<string> {
  const dir = path.join(job.context.scratchDir, 'inputs');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.tif`);
  await writeGrid(file, grid, cells, 'Int32', true);
  return file;
}

/** Features burnt whole onto the grid (all cells they touch), valued by `field` or their object id. */
async function rasterizeShapes(job: EngineJob, input: CellInput, base: InputShape): Promise<Float64Array> {
  const features = await resolveFeatureInput(input.param, job.context.inputs[input.param], job.deps, job.work);
  const facts = await readVectorFacts(input.param, features);
  const field = input.field ? requireField(input.param, facts, input.field, true).name : ['objectid', 'fid', 'oid'].map((n) => facts.fields.get(n)?.name).find(Boolean);
  if (!field) throw new TaskError(`'${input.param}': the features need an OBJECTID (or a numeric field named by the task) to tell them apart.`);
  const [x0, sx, , y0, , sy] = base.geoTransform as [number, number, number, number, number, number];
  const file = path.join(job.work, `${input.param}-cells.tif`);
  const projected = path.join(job.work, `${input.param}-projected.gpkg`);
  const { signal } = job.context;
  await gdalStep(`Reading '${input.param}'`, () => runGdalCommand('ogr2ogr', ['-f', 'GPKG', '-overwrite', '-nln', 'shapes', ...(base.srsWkt ? ['-t_srs', base.srsWkt] : []), projected, features.source], { signal }));
  const args = ['-q', '-l', 'shapes', '-a', field, '-at', '-ot', 'Float64', '-a_nodata', 'nan', '-init', 'nan'];
  args.push('-te', String(x0), String(y0 + base.height * sy), String(x0 + base.width * sx), String(y0), '-ts', String(base.width), String(base.height));
  await gdalStep(`Rasterizing '${input.param}'`, () => runGdalCommand('gdal_rasterize', [...args, projected, file], { signal }));
  return (await readGrid(file)).values;
}
