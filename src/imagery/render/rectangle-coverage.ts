import type { Bounds } from '../../raster/transform-bounds.js';

/**
 * The footprint as a box when its WKB is exactly an axis-aligned rectangle (one ring of five
 * points on the box's corners), the shape of most ortho tiles' footprints; null otherwise.
 */
export function footprintRectangle(wkb: Uint8Array): Bounds | null {
  // byte order, type, ring count, point count, 5 × (x, y)
  if (wkb.length !== 93) return null;
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  const little = view.getUint8(0) === 1;
  if (view.getUint32(1, little) !== 3 || view.getUint32(5, little) !== 1 || view.getUint32(9, little) !== 5) return null;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 5; i++) {
    xs.push(view.getFloat64(13 + i * 16, little));
    ys.push(view.getFloat64(21 + i * 16, little));
  }
  const box = { xmin: Math.min(...xs), ymin: Math.min(...ys), xmax: Math.max(...xs), ymax: Math.max(...ys) };
  if (!(box.xmin < box.xmax && box.ymin < box.ymax)) return null;
  for (let i = 0; i < 5; i++) {
    if ((xs[i] !== box.xmin && xs[i] !== box.xmax) || (ys[i] !== box.ymin && ys[i] !== box.ymax)) return null;
  }
  // The ring must go round the box (each step changes one coordinate), not cross it.
  for (let i = 0; i < 4; i++) if ((xs[i] !== xs[i + 1]) === (ys[i] !== ys[i + 1])) return null;
  return box;
}

/** The parts of `area` that `cover` leaves: up to four boxes (exact, no arithmetic on coordinates). */
export function subtractBox(area: Bounds, cover: Bounds): Bounds[] {
  if (cover.xmin >= area.xmax || cover.xmax <= area.xmin || cover.ymin >= area.ymax || cover.ymax <= area.ymin) return [area];
  const out: Bounds[] = [];
  if (cover.ymax < area.ymax) out.push({ xmin: area.xmin, ymin: cover.ymax, xmax: area.xmax, ymax: area.ymax });
  if (cover.ymin > area.ymin) out.push({ xmin: area.xmin, ymin: area.ymin, xmax: area.xmax, ymax: cover.ymin });
  const ymin = Math.max(area.ymin, cover.ymin);
  const ymax = Math.min(area.ymax, cover.ymax);
  if (cover.xmin > area.xmin) out.push({ xmin: area.xmin, ymin, xmax: cover.xmin, ymax });
  if (cover.xmax < area.xmax) out.push({ xmin: cover.xmax, ymin, xmax: area.xmax, ymax });
  return out;
}

/** What of the boxes `cover` leaves. */
export function subtractFromAll(boxes: Bounds[], cover: Bounds): Bounds[] {
  return boxes.flatMap((box) => subtractBox(box, cover));
}
