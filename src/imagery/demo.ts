import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gdal from 'gdal-async';
import type { AppContext } from '../context.js';
import { makePrincipal } from '../auth/principal.js';
import { createItem } from '../portal/item-service.js';
import { FINISHED_STATES } from '../store/job-queue.js';

const MARKER = 'demo.imagery.created';
export const DEMO_COLLECTION = 'DemoImagery';
const TILE = 256;
// Four tiles of 256 × 256 at 40 m over the Alps (Web Mercator), a synthetic relief shading.
export const DEMO_ORIGIN = { x: 800_000, y: 5_900_000, pixel: 40 };

/**
 * The demo image collection of a first start: four generated GeoTIFF tiles uploaded as portal
 * items and ingested by a real CreateImageCollection job, then shared publicly. Runs in the
 * background so the server starts at once; the marker keeps it from coming back once deleted.
 */
export async function ensureDemoImagery(context: AppContext, serverUrl: string): Promise<void> {
  const jobs = context.jobs;
  if (!context.config.demo || !jobs || (await context.stores.settings.get(MARKER))) return;
  await context.stores.settings.set(MARKER, new Date().toISOString());
  const task = jobs.registry.findTask('System/RasterAnalysisTools', 'CreateImageCollection');
  if (!task) return;
  const owner = context.config.admin.username;
  const scratch = await mkdtemp(path.join(tmpdir(), 'tessera-demo-'));
  try {
    const itemIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const file = path.join(scratch, `demo_tile_${i + 1}.tif`);
      await writeDemoTile(file, i % 2, Math.floor(i / 2));
      const item = await createItem(context, { owner, type: 'Image', title: `Demo tile ${i + 1}`, tags: ['demo'], file: { path: file, fileName: path.basename(file) } });
      itemIds.push(item.id);
    }
    const inputs: Record<string, string> = {
      imageCollection: JSON.stringify({ serviceProperties: { name: DEMO_COLLECTION } }),
      inputRasters: JSON.stringify({ itemIds }),
      rasterType: JSON.stringify({ rasterTypeName: 'Raster Dataset', imageCollectionProps: { imageCollectionType: 'Satellite' } }),
      context: JSON.stringify({ outSR: { wkid: 3857 } }),
    };
    const job = await jobs.submit(task, (name) => inputs[name], makePrincipal(owner, 'administrator', 'header'), context.config.publicUrl || serverUrl);
    // Stops polling when the server closes (a test may close it before the job ends).
    let closed = false;
    context.onClose.push(() => {
      closed = true;
    });
    void shareWhenDone(context, job.id, () => closed).catch((err: unknown) => context.logger.warn({ err }, 'the demo collection was not shared'));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function shareWhenDone(context: AppContext, jobId: string, isClosed: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (isClosed()) return;
    const job = await context.jobs?.get(jobId);
    if (!job) return;
    if (job.state === 'succeeded') break;
    if (FINISHED_STATES.includes(job.state)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const service = await context.stores.services.get('Hosted', DEMO_COLLECTION, 'ImageServer');
  if (!service) return;
  await context.stores.services.update('Hosted', DEMO_COLLECTION, 'ImageServer', { access: 'public' });
  if (service.itemId) await context.stores.items.update(service.itemId, { access: 'public' });
}

/** One demo tile of the 2 × 2 grid. */
async function writeDemoTile(file: string, column: number, row: number): Promise<void> {
  const dataset = await gdal.drivers.get('GTiff').createAsync(file, TILE, TILE, 3, gdal.GDT_Byte, ['TILED=YES', 'COMPRESS=DEFLATE']);
  const x0 = DEMO_ORIGIN.x + column * TILE * DEMO_ORIGIN.pixel;
  const y0 = DEMO_ORIGIN.y - row * TILE * DEMO_ORIGIN.pixel;
  dataset.geoTransform = [x0, DEMO_ORIGIN.pixel, 0, y0, 0, -DEMO_ORIGIN.pixel];
  dataset.srs = gdal.SpatialReference.fromEPSG(3857);
  const bands = [new Uint8Array(TILE * TILE), new Uint8Array(TILE * TILE), new Uint8Array(TILE * TILE)];
  for (let j = 0; j < TILE; j++) {
    for (let i = 0; i < TILE; i++) {
      const [r, g, b] = demoPixel(column * TILE + i, row * TILE + j);
      const k = i + j * TILE;
      bands[0]![k] = r;
      bands[1]![k] = g;
      bands[2]![k] = b;
    }
  }
  for (let b = 0; b < 3; b++) await dataset.bands.get(b + 1).pixels.writeAsync(0, 0, TILE, TILE, bands[b]!);
  dataset.close();
}

/**
 * The demo's RGB at a pixel of the whole 512 × 512 grid (column gx, row gy from DEMO_ORIGIN): a
 * smooth synthetic landscape, hills shaded from the north-west, green valleys, white tops.
 */
export function demoPixel(gx: number, gy: number): [number, number, number] {
  const height = Math.sin(gx / 37) * Math.cos(gy / 53) + 0.5 * Math.sin((gx + gy) / 23);
  const shade = 0.6 + 0.4 * Math.cos(gx / 37) * Math.cos(gy / 53);
  const snow = height > 1;
  return snow
    ? [Math.round(235 * shade), Math.round(240 * shade), Math.round(250 * shade)]
    : [Math.round((90 + 60 * height) * shade), Math.round((130 + 50 * height) * shade), Math.round((70 + 30 * height) * shade)];
}
