import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BandStatistics, CatalogItem } from '../../imagery/store/catalog-store.js';
import { TaskError } from '../../jobs/task.js';
import { runGdalCommand } from '../../raster/run-gdal-command.js';
import { readKey, readObjectParam } from '../image-collection/param-values.js';
import { resolveInputRasters, type InputDeps } from '../input-rasters.js';

/** One raster input of an analysis task, as GDAL opens it. */
export interface AnalysisRaster {
  /** Local path, `/vsicurl/…`, or a VRT mosaicking a collection's images. */
  source: string;
  /** As the client named it: safe for messages. */
  label: string;
  /** The collection's statistics when the input is one of our image services (raster functions use them). */
  statistics: BandStatistics[] | null;
}

/**
 * Resolves one raster input in any §2.1 form: `{"url"}` (our ImageServer, one of its catalog
 * items `…/ImageServer/<rasterId>`, or any raster URL), `{"itemId"}`, `{"uri"}` (data store or
 * cloud), or the bare URL as text. A collection of several images is read through a VRT mosaic
 * written in `workDir`. Failures name the parameter.
 *
 * @example const dem = await resolveRasterInput('inputRaster', { url: '…/Hosted/dem/ImageServer' }, deps, scratch)
 */
export async function resolveRasterInput(param: string, value: unknown, deps: InputDeps, workDir: string, signal?: AbortSignal): Promise<AnalysisRaster> {
  if (value === undefined || value === null || value === '') throw new TaskError(`'${param}' is required.`);
  const object = readRasterObject(param, value);
  const url = readKey(object, 'url');
  const rasterId = typeof url === 'string' ? /^(.*\/ImageServer)\/(\d+)\/?$/i.exec(url.split('?')[0]) : null;
  const forms = ['url', 'itemId', 'uri'].filter((key) => typeof readKey(object, key) === 'string' && readKey(object, key) !== '');
  if (forms.length === 0) throw new TaskError(`'${param}' must give a url, itemId or uri of a raster.`);
  let resolved;
  try {
    resolved = await resolveInputRasters(rasterId ? { url: rasterId[1] } : object, deps);
  } catch (error) {
    if (error instanceof TaskError) throw new TaskError(`'${param}': ${error.message}`);
    throw error;
  }
  const input = resolved.inputs[0];
  if (input.kind === 'raster') return { source: input.source, label: input.label, statistics: null };
  const { collection } = input;
  const rows = await deps.catalog.queryItems(collection.id, rasterId ? { objectIds: [Number(rasterId[2])] } : {});
  if (rows.length === 0) {
    throw new TaskError(`'${param}': ${rasterId ? `raster ${rasterId[2]} of ` : ''}image service '${collection.name}' holds no images.`);
  }
  const statistics = rasterId ? rows[0].raster.statistics : collection.summary.statistics;
  if (rows.length === 1) return { source: rows[0].path, label: input.label, statistics };
  return { source: await mosaic(rows, workDir, param, signal), label: input.label, statistics };
}

function readRasterObject(param: string, value: unknown): Record<string, unknown> {
  if (typeof value === 'string' && !value.trim().startsWith('{')) return { url: value.trim() };
  return readObjectParam(param, value);
}

/**
 * A VRT over a collection's images in the collection's order (later rows drawn on top, as
 * gdalbuildvrt does). Images must share a CRS, which by-value collections always do.
 */
async function mosaic(rows: CatalogItem[], workDir: string, param: string, signal?: AbortSignal): Promise<string> {
  await mkdir(workDir, { recursive: true });
  const file = path.join(workDir, `${param}-mosaic.vrt`);
  await runGdalCommand('gdalbuildvrt', ['-q', '-allow_projection_difference', file, ...rows.map((r) => r.path)], { signal });
  return file;
}
