import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import gdal from 'gdal-async';
import { makePrincipal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { ensureFeatureStore } from '../features/feature-deps.js';
import { publishFile } from '../features/publish/publish-file.js';
import { updateServiceDefinition } from '../features/update-definition.js';
import { createItem } from '../portal/item-service.js';
import { FINISHED_STATES } from '../store/job-queue.js';
import { fetchDemoFiles, type DemoFiles } from './demo-packages.js';

const MARKER = 'demo.packages.created';

/** The services of the real demo: one place (Olinda, Brazil) seen four ways, plus world context. */
export const REAL_DEMO = {
  /** 470 census polygons, editable by their owner. */
  olinda: 'Olinda',
  /** Natural Earth countries, read-only. */
  countries: 'Countries',
  /** The Landsat 7 ETM+ scene, shown as natural colour (bands 3, 2, 1). */
  landsat: 'OlindaLandsat',
  /** The DEM; previews draw it with the Hillshade raster function. */
  elevation: 'OlindaElevation',
};

/**
 * The real demo of a first start, made from Debian packages through the same paths a user takes:
 * vector files published as hosted feature services (as `tessera import` and the portal's publish
 * do), rasters uploaded as items and ingested by CreateImageCollection jobs. Runs in the
 * background; when the packages cannot be reached the server goes on without it and says so in
 * one line. A settings marker keeps it from coming back after an administrator deletes it.
 */
export async function ensureRealDemo(context: AppContext, serverUrl: string, notice: (line: string) => void): Promise<void> {
  if (!context.config.demo || !context.config.demoPackages || (await context.stores.settings.get(MARKER))) return;
  let files: DemoFiles;
  try {
    files = await fetchDemoFiles(path.join(context.config.dataDir, 'cache', 'demo-packages'));
  } catch (error) {
    notice(`Starting without the Olinda demo data: ${(error as Error).message.split('\n')[0]}`);
    return;
  }
  const owner = await demoOwner(context);
  if (!owner) return;
  await context.stores.settings.set(MARKER, new Date().toISOString());
  let closed = false;
  context.onClose.push(() => {
    closed = true;
  });
  const baseUrl = context.config.publicUrl || serverUrl;
  await publishDemoFeatures(context, files, baseUrl, owner);
  await submitDemoCollections(context, files, baseUrl, owner, () => closed);
}

/** The configured administrator, or the first one created when the data directory began under another name. */
async function demoOwner(context: AppContext): Promise<string | undefined> {
  const configured = await context.stores.users.get(context.config.admin.username);
  if (configured?.role === 'administrator') return configured.username;
  const admins = (await context.stores.users.list()).filter((u) => u.role === 'administrator').sort((a, b) => a.created - b.created);
  return admins[0]?.username;
}

async function publishDemoFeatures(context: AppContext, files: DemoFiles, baseUrl: string, owner: string): Promise<void> {
  const deps = ensureFeatureStore(context);
  const common = { owner, format: 'shapefile' as const, baseUrl, access: 'public' as const, tags: ['demo'] };
  if (!(await context.stores.services.get('Hosted', REAL_DEMO.olinda, 'FeatureServer'))) {
    await publishFile(deps, { ...common, file: files.olinda, name: REAL_DEMO.olinda, title: 'Olinda census tracts (demo, editable)' });
  }
  if (!(await context.stores.services.get('Hosted', REAL_DEMO.countries, 'FeatureServer'))) {
    const created = await publishFile(deps, { ...common, file: files.countries, name: REAL_DEMO.countries, title: 'Countries (Natural Earth, demo)' });
    await updateServiceDefinition(deps, { record: created.record, definition: created.definition, item: created.item }, { capabilities: 'Query' });
  }
}

async function submitDemoCollections(context: AppContext, files: DemoFiles, baseUrl: string, owner: string, isClosed: () => boolean): Promise<void> {
  const jobs = context.jobs;
  const task = jobs?.registry.findTask('System/RasterAnalysisTools', 'CreateImageCollection');
  if (!jobs || !task) return;
  const scratch = await mkdtemp(path.join(context.config.dataDir, 'cache', '.demo-'));
  try {
    // Landsat 7 bands are blue, green, red, NIR, SWIR1, SWIR2: labelled so, the raw mosaic shows natural colour.
    const landsat = path.join(scratch, 'L7_ETMs.tif');
    const source = await gdal.openAsync(files.landsat);
    (await gdal.translateAsync(landsat, source, ['-colorinterp', 'blue,green,red,undefined,undefined,undefined'])).close();
    source.close();
    const dem = path.join(scratch, 'olinda_dem_utm25s.tif');
    await copyFile(files.dem, dem);
    for (const [name, file, title] of [
      [REAL_DEMO.landsat, landsat, 'Landsat 7 ETM+ over Olinda (demo)'],
      [REAL_DEMO.elevation, dem, 'Olinda elevation (demo)'],
    ] as const) {
      const item = await createItem(context, { owner, type: 'Image', title, tags: ['demo'], file: { path: file, fileName: path.basename(file) } });
      const inputs: Record<string, string> = {
        imageCollection: JSON.stringify({ serviceProperties: { name } }),
        inputRasters: JSON.stringify({ itemIds: [item.id] }),
        rasterType: JSON.stringify({ rasterTypeName: 'Raster Dataset', imageCollectionProps: { imageCollectionType: 'Satellite' } }),
        // Both are in UTM zone 25S (SIRGAS 2000), kept as they are: no resampling of the pixels.
        context: JSON.stringify({ outSR: { wkid: 31985 } }),
      };
      const job = await jobs.submit(task, (key) => inputs[key], makePrincipal(owner, 'administrator', 'header'), baseUrl);
      void shareWhenDone(context, job.id, name, isClosed).catch(() => undefined);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The collection becomes public once its job succeeds, as a user would share it afterwards. */
async function shareWhenDone(context: AppContext, jobId: string, name: string, isClosed: () => boolean): Promise<void> {
  for (;;) {
    if (isClosed()) return;
    const job = await context.jobs?.get(jobId);
    if (!job) return;
    if (FINISHED_STATES.includes(job.state) && job.state !== 'succeeded') {
      context.logger.warn({ jobId }, `the demo image collection ${name} could not be made (job ${job.state})`);
      return;
    }
    if (job.state === 'succeeded') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const service = await context.stores.services.get('Hosted', name, 'ImageServer');
  if (!service) return;
  await context.stores.services.update('Hosted', name, 'ImageServer', { access: 'public' });
  if (service.itemId) await context.stores.items.update(service.itemId, { access: 'public' });
}
