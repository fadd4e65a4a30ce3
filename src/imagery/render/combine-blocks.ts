import type { MosaicOperation } from './mosaic-rule.js';
import { pixelTypeInfo, type PixelBlock } from './pixel-block.js';

export type CombineOperation = MosaicOperation | 'seamline';

/**
 * Resolves overlaps between items rendered on the same grid, `blocks` ordered top first:
 * `first`/`last` take the top/bottom item with data, `min`/`max`/`mean`/`sum` reduce the items
 * with data (`blend` is a mean here), and `seamline` takes, per pixel, the item whose footprint
 * centre is nearest (`centers` in grid pixels): Voronoi seamlines between footprint centres.
 * The result keeps the items' pixel type (`sum` gives F32); the mask is the union of theirs.
 *
 * @example combineBlocks([top, bottom], 'max')
 */
export function combineBlocks(blocks: PixelBlock[], operation: CombineOperation, centers: Array<[number, number]> = []): PixelBlock {
  const [first] = blocks;
  const { width, height } = first;
  const pixelType = operation === 'sum' ? 'F32' : first.pixelType;
  const type = pixelTypeInfo(pixelType);
  const bandCount = Math.min(...blocks.map((b) => b.bands.length));
  const n = width * height;
  const out: PixelBlock = { width, height, pixelType, mask: new Uint8Array(n), bands: Array.from({ length: bandCount }, () => new type.array(n)) };
  const pick = operation === 'seamline' ? nearestCenterPicker(width, centers) : operation === 'last' ? lastPicker : firstPicker;
  const reduce = REDUCERS[operation];
  for (let i = 0; i < n; i++) {
    let coverage = 0;
    for (const block of blocks) if (block.mask[i] > coverage) coverage = block.mask[i];
    if (coverage === 0) continue;
    out.mask[i] = coverage;
    if (!reduce) {
      const chosen = blocks[pick(blocks, i)];
      for (let b = 0; b < bandCount; b++) out.bands[b][i] = chosen.bands[b][i];
      continue;
    }
    for (let b = 0; b < bandCount; b++) {
      const value = reduce(blocks, b, i);
      out.bands[b][i] = type.integer ? Math.min(type.max, Math.max(type.min, Math.round(value))) : value;
    }
  }
  return out;
}

type Picker = (blocks: PixelBlock[], i: number) => number;
type Reducer = (blocks: PixelBlock[], band: number, i: number) => number;

const firstPicker: Picker = (blocks, i) => {
  for (let k = 0; k < blocks.length; k++) if (blocks[k].mask[i] > 0) return k;
  return 0;
};

const lastPicker: Picker = (blocks, i) => {
  for (let k = blocks.length - 1; k >= 0; k--) if (blocks[k].mask[i] > 0) return k;
  return 0;
};

function nearestCenterPicker(width: number, centers: Array<[number, number]>): Picker {
  return (blocks, i) => {
    const x = (i % width) + 0.5;
    const y = Math.floor(i / width) + 0.5;
    let best = -1;
    let bestDistance = Infinity;
    for (let k = 0; k < blocks.length; k++) {
      if (blocks[k].mask[i] === 0) continue;
      const [cx, cy] = centers[k] ?? [x, y];
      const d = (cx - x) ** 2 + (cy - y) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return Math.max(0, best);
  };
}

function reduceWith(initial: number, step: (acc: number, value: number) => number, finish?: (acc: number, count: number) => number): Reducer {
  return (blocks, band, i) => {
    let acc = initial;
    let count = 0;
    for (const block of blocks) {
      if (block.mask[i] === 0) continue;
      acc = step(acc, block.bands[band][i]);
      count++;
    }
    return finish ? finish(acc, count) : acc;
  };
}

const mean = reduceWith(0, (acc, v) => acc + v, (acc, count) => acc / count);

const REDUCERS: Partial<Record<CombineOperation, Reducer>> = {
  min: reduceWith(Infinity, Math.min),
  max: reduceWith(-Infinity, Math.max),
  sum: reduceWith(0, (acc, v) => acc + v),
  mean,
  blend: mean,
};
