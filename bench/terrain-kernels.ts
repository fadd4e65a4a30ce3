/**
 * The terrain functions' kernels alone (Horn's 3×3 window, src/imagery/render/raster-functions/
 * horn.ts) on a 2,002 × 2,002 block: what GenerateRaster runs on a 2,000 × 2,000 DEM, one cell of
 * no data around it (the margin it reads). Prints CPU nanoseconds a cell, best and median of 7
 * runs after one to warm up, for Float32 and Int16 bands, and Float32 with holes (mask 0 and NaN cells).
 *   npm run bench:terrain-kernels
 */
import type { PixelBlock } from '../src/imagery/render/pixel-block.js';
import { hillshadeFunction } from '../src/imagery/render/raster-functions/hillshade.js';
import type { RasterFunction } from '../src/imagery/render/raster-functions/raster-function.js';
import { aspectFunction, slopeFunction } from '../src/imagery/render/raster-functions/terrain.js';

const N = 2002;

function demBlock(Type: Float32ArrayConstructor | Int16ArrayConstructor, holes: boolean): PixelBlock {
  const band = new Type(N * N);
  const mask = new Uint8Array(N * N);
  for (let row = 0; row < N; row++) {
    for (let col = 0; col < N; col++) {
      const i = row * N + col;
      band[i] = 500 + 200 * Math.sin(col / 150) * Math.cos(row / 210) + 0.02 * col;
      mask[i] = row > 0 && col > 0 && row < N - 1 && col < N - 1 ? 255 : 0;
      if (holes && (row * 7 + col * 13) % 97 === 0) mask[i] = 0;
      if (holes && (row * 3 + col * 5) % 89 === 0) band[i] = Number.NaN;
    }
  }
  return { width: N, height: N, bands: [band], mask, pixelType: Type === Int16Array ? 'S16' : 'F32' };
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const context = { cellSize: [10, 10] as [number, number], statistics: null, grid: { bbox: { xmin: 0, ymin: 0, xmax: N * 10, ymax: N * 10 }, width: N, height: N, srs: null } as never };
const blocks: Array<[string, PixelBlock]> = [['Float32', demBlock(Float32Array, false)], ['Int16', demBlock(Int16Array, false)], ['Float32 holes', demBlock(Float32Array, true)]];
const functions: Array<[string, RasterFunction]> = [['Hillshade', hillshadeFunction], ['Slope', slopeFunction], ['Aspect', aspectFunction]];
for (const [name, fn] of functions) {
  for (const [kind, block] of blocks) {
    const samples: number[] = [];
    fn.apply(block, {}, context); // JIT warm-up
    for (let i = 0; i < 7; i++) {
      const started = cpuMs();
      fn.apply(block, {}, context);
      samples.push(((cpuMs() - started) * 1e6) / (N * N));
    }
    samples.sort((a, b) => a - b);
    console.log(`${name.padEnd(10)} ${kind.padEnd(14)} best ${samples[0].toFixed(1).padStart(5)} ns/cell  median ${samples[3].toFixed(1).padStart(5)}`);
  }
}
