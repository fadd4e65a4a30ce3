/**
 * Whole-pixel window reads against the warper, in this process, on the same views:
 * `npm run bench:read-windows -- <folder of GeoTIFFs> [--views 40] [--rounds 3]`
 * (the peers' mosaic: `../shared/peers/mapserver/serve.sh data`, then `$WORK/data`).
 *
 * For 512×512 nearest views at random places (seeded) at the sources' pixel size and at 4× it
 * (an overview level), the sources they touch (bottom to top by name) are drawn by
 * `warpDatasets` (what renders used before) and by `readWindows` (read-windows.ts) on the same
 * open handles, alternating; prints CPU ms per view (process CPU, all threads; blocks stay in
 * GDAL's cache after the first round, so this is the drawing alone, not the decoding) and how
 * many views differ (none may).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import gdal from 'gdal-async';
import { datasetLevels, levelWindow, readWindows, type LevelWindow } from '../src/imagery/render/read-windows.js';
import type { RenderGrid } from '../src/imagery/render/render-grid.js';
import { resolveSrs } from '../src/imagery/render/srs-cache.js';
import { warpDatasets } from '../src/imagery/render/warp-items.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { views: { type: 'string', default: '40' }, rounds: { type: 'string', default: '3' } } });
const folder = positionals[0];
if (!folder) throw new Error('usage: bench/read-windows.ts <folder of GeoTIFFs> [--views 40] [--rounds 3]');
const files = readdirSync(folder).filter((f) => /\.tiff?$/i.test(f)).sort().map((f) => path.join(folder, f));
const datasets = files.map((f) => gdal.open(f));
const first = datasets[0];
const srs = resolveSrs({ srsWkt: first.srs!.toWKT(), epsg: Number(first.srs!.getAuthorityCode()) || null });
const boxes = datasets.map((d) => {
  const gt = d.geoTransform!;
  return { xmin: gt[0], ymax: gt[3], xmax: gt[0] + d.rasterSize.x * gt[1], ymin: gt[3] + d.rasterSize.y * gt[5], pixel: gt[1] };
});
const all = { xmin: Math.min(...boxes.map((b) => b.xmin)), xmax: Math.max(...boxes.map((b) => b.xmax)), ymin: Math.min(...boxes.map((b) => b.ymin)), ymax: Math.max(...boxes.map((b) => b.ymax)) };

/** CPU time of this process so far, all threads (ms). */
const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

for (const factor of [1, 4]) {
  const pixel = boxes[0].pixel * factor;
  const size = 512 * pixel;
  const views = Array.from({ length: Number(values.views) }, () => {
    const xmin = Number((all.xmin + random() * (all.xmax - all.xmin - size)).toFixed(3));
    const ymax = Number((all.ymax - random() * (all.ymax - all.ymin - size)).toFixed(3));
    const grid: RenderGrid = { srs, width: 512, height: 512, bbox: { xmin, ymax, xmax: xmin + size, ymin: ymax - size } };
    // Bottom to top: later names on top, as a mosaic's order would put them.
    const touched = datasets.filter((_, i) => boxes[i].xmin < grid.bbox.xmax && boxes[i].xmax > grid.bbox.xmin && boxes[i].ymin < grid.bbox.ymax && boxes[i].ymax > grid.bbox.ymin);
    const windows: Array<LevelWindow | null> = [];
    for (const d of touched) {
      const found = levelWindow(datasetLevels(d), grid, 'near', true);
      if (!found) return null;
      windows.push(found.window);
    }
    return { grid, touched, windows };
  }).filter((v) => v !== null);
  const options = { resampling: 'near' as const, bandCount: 3, pixelType: 'U8', alpha: false };
  const cpu = { warp: 0, windows: 0 };
  let differ = 0;
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const { grid, touched, windows } of views) {
      let t = processCpuMs();
      const a = await warpDatasets(touched, grid, options);
      cpu.warp += processCpuMs() - t;
      t = processCpuMs();
      const b = await readWindows(touched, windows, grid, options);
      cpu.windows += processCpuMs() - t;
      if (round === 0 && a.bands.some((band, k) => Buffer.compare(Buffer.from(band.buffer), Buffer.from(b.bands[k].buffer)) !== 0)) differ++;
    }
  }
  const n = views.length * Number(values.rounds);
  console.log(
    `${factor === 1 ? 'native' : `${factor}× (overview)`} pixels, ${views.length} views with a window (of ${values.views}), ${values.rounds} rounds: ` +
      `warper ${(cpu.warp / n).toFixed(1)} CPU ms/view, window reads ${(cpu.windows / n).toFixed(1)} (${((cpu.windows / cpu.warp) * 100).toFixed(0)} %), views that differ: ${differ}`,
  );
}
datasets.forEach((d) => d.close());
