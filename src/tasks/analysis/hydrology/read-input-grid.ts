import { TaskError } from '../../../jobs/task.js';
import { engineRasters, type EngineJob } from '../engine-job.js';
import { readGridShape } from '../grid-io.js';
import { readFloatGrid, type FloatGrid } from './float-grid.js';
import { readGrid, sameGrid, type Grid, type GridShape } from './grid.js';

/** An input's first band, and the file it was read from (for engines that read it again). */
export type InputGrid = Grid & { source: string };

/** An input's grid without its cells, and its file: for an input only an engine reads. */
export type InputShape = GridShape & { source: string };

/** Resolves a raster parameter onto the analysis grid (`context`) and reads its first band. */
export async function readInputGrid(job: EngineJob, parameter: string): Promise<InputGrid> {
  const [grid] = await readInputGrids(job, [parameter]);
  return grid!;
}

/**
 * Reads several raster parameters on one analysis grid (warped together when `context` sets
 * one); fails unless they end up on the same grid.
 */
export function readInputGrids(job: EngineJob, parameters: string[]): Promise<InputGrid[]> {
  return readOnOneGrid(job, parameters, readSourceGrid);
}

/**
 * readInputGrids without reading a cell (size, georeference and SRS only): for inputs an engine
 * reads from their files itself.
 */
export function readInputShapes(job: EngineJob, parameters: string[]): Promise<InputShape[]> {
  return readOnOneGrid(job, parameters, readSourceShape);
}

/**
 * readInputGrids reading the cells of the inputs `withCells` names only; the others come back
 * as their grids (InputShape), for inputs an engine reads from their files itself.
 */
export function readInputGridsOrShapes(job: EngineJob, parameters: string[], withCells: boolean[]): Promise<Array<InputGrid | InputShape>> {
  return readOnOneGrid(job, parameters, (source, parameter, index) => (withCells[index] ? readSourceGrid(source, parameter) : readSourceShape(source, parameter)));
}

/**
 * readInputGrids in two steps: the files resolved (`files`, in parameter order), then `read()`
 * their grids with `readSource` (readSourceGrid, readSourceFloatGrid), or only their `shapes()`
 * (readInputShapes). An engine that reads the files can start in between.
 */
export async function resolveInputGrids<T extends GridShape>(
  job: EngineJob,
  parameters: string[],
  readSource: (source: string, parameter: string) => Promise<T>,
): Promise<{ files: string[]; read: () => Promise<T[]>; shapes: () => Promise<InputShape[]> }> {
  const files = await engineRasters(job, parameters);
  return { files, read: () => readFilesOnOneGrid(files, parameters, readSource), shapes: () => readFilesOnOneGrid(files, parameters, readSourceShape) };
}

/** Reads one resolved input; `index` is its place in `parameters` (a name may be listed twice). */
type ReadSource<T> = (source: string, parameter: string, index: number) => Promise<T>;

async function readOnOneGrid<T extends GridShape>(job: EngineJob, parameters: string[], read: ReadSource<T>): Promise<T[]> {
  return readFilesOnOneGrid(await engineRasters(job, parameters), parameters, read);
}

async function readFilesOnOneGrid<T extends GridShape>(sources: string[], parameters: string[], read: ReadSource<T>): Promise<T[]> {
  // Read side by side (GDAL reads on libuv's threads: Nibble's two 2,000² inputs took ~0.46 s one
  // after the other); checked in parameter order, so the same input's error wins as before.
  const reads = await Promise.allSettled(sources.map((source, i) => read(source, parameters[i]!, i)));
  const grids: T[] = [];
  for (const [i, read] of reads.entries()) {
    if (read.status === 'rejected') throw read.reason;
    grids.push(read.value);
    if (i > 0) requireSameGrid(grids[0]!, grids[i]!, parameters[i]!);
  }
  return grids;
}

/** Reads band 1 of a resolved input (`engineRasters`); a failure is the task's error naming `parameter`. */
export function readSourceGrid(source: string, parameter: string): Promise<InputGrid> {
  return readOrFail(parameter, async () => ({ ...(await readGrid(source)), source }));
}

/** readSourceGrid as Float32 where the band's values fit (`readFloatGrid`); a failure names `parameter`. */
export function readSourceFloatGrid(source: string, parameter: string): Promise<FloatGrid> {
  return readOrFail(parameter, () => readFloatGrid(source));
}

/** The grid of a resolved input, no cell read (`readGridShape`); a failure names `parameter`. */
function readSourceShape(source: string, parameter: string): Promise<InputShape> {
  return readOrFail(parameter, async () => {
    const shape = await readGridShape(source);
    return { ...shape, srsWkt: shape.srsWkt || null, source };
  });
}

async function readOrFail<T>(parameter: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw new TaskError(`'${parameter}': the raster could not be read.`);
  }
}

/** Fails the job unless a second input lies on the first one's grid (no resampling here). */
export function requireSameGrid(base: GridShape, other: GridShape, parameter: string): void {
  if (!sameGrid(base, other)) throw new TaskError(`'${parameter}' must have the same cell size, extent and rows/columns as the other input raster.`);
}
