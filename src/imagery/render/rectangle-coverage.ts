import type { Bounds } from '../../raster/transform-bounds.js';

/**
 * The footprint as a box when its WKB is exactly an axis-aligned rectangle: one ring whose every
 * segment runs along a side of its bounding box (extra points on the sides, as densified
 * footprints have, are fine). Most ortho tiles' footprints are; null for any other shape.
 */
export function footprintRectangle(wkb: Uint8Array): Bounds | null {
  if (wkb.length < 13) return null;
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  const little = view.getUint8(0) === 1;
  const points = view.getUint32(9, little);
  // byte order, type 3 (polygon), one ring, its points as x, y doubles
  if (view.getUint32(1, little) !== 3 || view.getUint32(5, little) !== 1 || points < 5 || wkb.length !== 13 + points * 16) return null;
  const x = (i: number) => view.getFloat64(13 + i * 16, little);
  const y = (i: number) => view.getFloat64(21 + i * 16, little);
  const box = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  for (let i = 0; i < points; i++) {
    box.xmin = Math.min(box.xmin, x(i));
    box.xmax = Math.max(box.xmax, x(i));
    box.ymin = Math.min(box.ymin, y(i));
    box.ymax = Math.max(box.ymax, y(i));
  }
  if (!(box.xmin < box.xmax && box.ymin < box.ymax)) return null;
  for (let i = 0; i + 1 < points; i++) {
    const vertical = x(i) === x(i + 1) && (x(i) === box.xmin || x(i) === box.xmax);
    const horizontal = y(i) === y(i + 1) && (y(i) === box.ymin || y(i) === box.ymax);
    if (!vertical && !horizontal) return null;
  }
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
