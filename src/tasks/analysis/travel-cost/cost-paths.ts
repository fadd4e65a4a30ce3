import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { TaskError } from '../../../jobs/task.js';
import type { GrassCommand } from '../engines/run-grass.js';
import { timeSection } from '../engines/section-times.js';
import type { Grid } from '../hydrology/grid.js';

export const PATH_TYPES = ['BEST_SINGLE', 'EACH_CELL', 'EACH_ZONE'] as const;
export type PathType = (typeof PATH_TYPES)[number];

/** A destination cell a least-cost path is traced back from. */
export interface PathStart {
  cell: number;
  /** The destination's value (zone, field value or object id). */
  value: number;
  /** Accumulated cost at the cell. */
  cost: number;
}

/** The cells holding a destination (not NaN), in row order. */
export function destinationCells(destinations: Float64Array): number[] {
  const cells: number[] = [];
  for (let i = 0; i < destinations.length; i++) if (!Number.isNaN(destinations[i]!)) cells.push(i);
  return cells;
}

/**
 * The destination cells paths start from, as ArcGIS's path types choose them: the cheapest one
 * of all (BEST_SINGLE), the cheapest of each zone (EACH_ZONE), or every one (EACH_CELL). Cells
 * no source reaches (NaN cost) are left out. `costAt` is asked for destination cells only.
 */
export function chooseDestinations(destinations: Float64Array, costAt: (cell: number) => number, type: PathType): PathStart[] {
  const all: PathStart[] = [];
  for (const i of destinationCells(destinations)) {
    const cost = costAt(i);
    if (Number.isFinite(cost)) all.push({ cell: i, value: destinations[i]!, cost });
  }
  if (type === 'EACH_CELL') return all;
  if (type === 'BEST_SINGLE') return all.length === 0 ? [] : [all.reduce((a, b) => (b.cost < a.cost ? b : a))];
  const best = new Map<number, PathStart>();
  for (const start of all) if (!best.has(start.value) || start.cost < best.get(start.value)!.cost) best.set(start.value, start);
  return [...best.values()];
}

/** Centre of a cell in map units. */
export function cellCentre(grid: Pick<Grid, 'width' | 'geoTransform'>, cell: number): [number, number] {
  const [x0, sx, rx, y0, ry, sy] = grid.geoTransform as [number, number, number, number, number, number];
  const col = (cell % grid.width) + 0.5;
  const row = Math.floor(cell / grid.width) + 0.5;
  return [x0 + col * sx + row * rx, y0 + col * ry + row * sy];
}

/**
 * GRASS commands tracing paths back along a direction map (degrees counter-clockwise from east,
 * as `r.cost outdir=` writes it) from start points; each start's category is its index + 1, so
 * the vector paths and raster path values say which start they came from.
 */
export async function tracePathCommands(dir: string, name: string, grid: Pick<Grid, 'width' | 'geoTransform'>, starts: PathStart[], directionMap: string, outputs: { vector?: string; raster?: string }): Promise<GrassCommand[]> {
  await mkdir(dir, { recursive: true });
  const pointsFile = path.join(dir, `${name}-starts.txt`);
  await writeFile(pointsFile, starts.map((start, i) => `${cellCentre(grid, start.cell).join('|')}|${i + 1}`).join('\n') + '\n');
  return [
    ['v.in.ascii', `input=${pointsFile}`, `output=${name}_starts`, 'separator=pipe', 'x=1', 'y=2', 'cat=3', '--quiet'],
    [
      'r.path',
      `input=${directionMap}`,
      'format=degree',
      `start_points=${name}_starts`,
      ...(outputs.vector ? [`vector_path=${outputs.vector}`] : []),
      ...(outputs.raster ? [`raster_path=${outputs.raster}`] : []),
      '--quiet',
    ],
  ];
}

/** One finished path as a polyline with its attributes. */
export interface PathLine {
  start: number;
  coordinates: Array<[number, number]>;
}

/**
 * Reads the lines `v.out.ascii format=standard` wrote, each with the start it came from
 * (category − 1). Plain text rather than v.out.ogr, which fails on locations whose projection
 * OGR cannot rebuild from GRASS's (the output is written in the input's SR here anyway).
 */
export async function readPathLines(file: string): Promise<PathLine[]> {
  const rows = (await readFile(file, 'utf8')).split('\n');
  const lines: PathLine[] = [];
  let i = rows.findIndex((row) => row.startsWith('VERTI:')) + 1;
  while (i > 0 && i < rows.length) {
    const header = /^([A-Za-z])\s+(\d+)\s+(\d+)/.exec(rows[i]!.trim());
    if (!header) {
      i++;
      continue;
    }
    const [, type, vertices, categories] = header;
    const coordinates = rows.slice(i + 1, i + 1 + Number(vertices)).map((row) => row.trim().split(/\s+/).map(Number) as [number, number]);
    const cats = rows.slice(i + 1 + Number(vertices), i + 1 + Number(vertices) + Number(categories)).map((row) => Number(row.trim().split(/\s+/)[1]));
    if (type === 'L' && cats.length > 0) lines.push({ start: cats[0]! - 1, coordinates });
    i += 1 + Number(vertices) + Number(categories);
  }
  return lines;
}

export type LineField = { name: string; type: 'integer' | 'real' };

/**
 * Writes polylines with attributes as a GeoPackage layer in `srsWkt` (what the hosted feature
 * layer is published from).
 */
export async function writePolylines(file: string, srsWkt: string, fields: LineField[], lines: Array<{ coordinates: Array<[number, number]>; attributes: Record<string, number> }>): Promise<void> {
  if (lines.length === 0) throw new TaskError('No path could be traced: no destination is reachable from the sources.');
  await timeSection('write features', () => writeLines(file, srsWkt, fields, lines));
}

async function writeLines(file: string, srsWkt: string, fields: LineField[], lines: Array<{ coordinates: Array<[number, number]>; attributes: Record<string, number> }>): Promise<void> {
  const dataset = await gdal.drivers.get('GPKG').createAsync(file, 0, 0, 0);
  try {
    const layer = dataset.layers.create('paths', gdal.SpatialReference.fromWKT(srsWkt), gdal.LineString);
    for (const field of fields) layer.fields.add(new gdal.FieldDefn(field.name, field.type === 'integer' ? gdal.OFTInteger : gdal.OFTReal));
    for (const line of lines) {
      const feature = new gdal.Feature(layer);
      const geometry = new gdal.LineString();
      for (const [x, y] of line.coordinates) geometry.points.add(x, y);
      feature.setGeometry(geometry);
      for (const field of fields) feature.fields.set(field.name, line.attributes[field.name] ?? null);
      layer.features.add(feature);
    }
    await dataset.flushAsync();
  } finally {
    dataset.close();
  }
}
