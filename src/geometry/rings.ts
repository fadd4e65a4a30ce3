import type { Position } from './esri-geometry.js';

/** One polygon of a multipart polygon: its outer ring and the holes directly inside it. */
export interface RingGroup {
  exterior: Position[];
  holes: Position[][];
}

/**
 * Twice the signed area with y pointing up: positive for counter-clockwise rings. Works on closed
 * and unclosed rings alike (the wrap-around term of a closed ring is zero).
 */
export function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum;
}

export function isClockwise(ring: readonly Position[]): boolean {
  return signedArea(ring) < 0;
}

/** Reverses the ring in place when its winding is not the one asked for. */
export function orientRing(ring: Position[], clockwise: boolean): Position[] {
  const area = signedArea(ring);
  if (area !== 0 && area < 0 !== clockwise) ring.reverse();
  return ring;
}

/** Even-odd rule over all rings together, so holes (and islands in them) count right. Boundary points may fall either way. */
export function isInsideRings(x: number, y: number, rings: readonly (readonly Position[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** 1 inside, 0 on the boundary, -1 outside (even-odd rule). */
export function pointInRing(x: number, y: number, ring: readonly Position[]): 1 | 0 | -1 {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (isOnSegment(x, y, xi, yi, xj, yj)) return 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

function isOnSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): boolean {
  if ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) !== 0) return false;
  return x >= Math.min(x1, x2) && x <= Math.max(x1, x2) && y >= Math.min(y1, y2) && y <= Math.max(y1, y2);
}

interface RingInfo {
  ring: Position[];
  index: number;
  area: number;
  bbox: [number, number, number, number];
}

/**
 * Sorts rings into polygons by containment, ignoring their winding: a ring inside an even number
 * of others is an exterior, inside an odd number a hole of the smallest ring containing it
 * (the even-odd fill ArcGIS uses). Exteriors and holes keep their input order.
 */
export function groupRings(rings: Position[][]): RingGroup[] {
  if (rings.length === 1) return [{ exterior: rings[0], holes: [] }];
  const infos: RingInfo[] = rings.map((ring, index) => ({ ring, index, area: Math.abs(signedArea(ring)), bbox: ringBbox(ring) }));
  const bySize = [...infos].sort((a, b) => b.area - a.area || a.index - b.index);
  const parentOf = new Map<RingInfo, RingInfo | undefined>();
  const depthOf = new Map<RingInfo, number>();
  bySize.forEach((info, i) => {
    const parent = findSmallestContainer(info, bySize, i);
    parentOf.set(info, parent);
    depthOf.set(info, parent === undefined ? 0 : (depthOf.get(parent) as number) + 1);
  });
  const groups = new Map<RingInfo, RingGroup>();
  for (const info of infos) {
    if ((depthOf.get(info) as number) % 2 === 0) groups.set(info, { exterior: info.ring, holes: [] });
  }
  for (const info of infos) {
    const parent = parentOf.get(info);
    if ((depthOf.get(info) as number) % 2 === 1 && parent !== undefined) groups.get(parent)?.holes.push(info.ring);
  }
  return [...groups.values()];
}

/** Walks from the next-larger ring outwards, so the first container found is the smallest. */
function findSmallestContainer(info: RingInfo, bySize: RingInfo[], position: number): RingInfo | undefined {
  for (let j = position - 1; j >= 0; j--) {
    const candidate = bySize[j];
    if (bboxContains(candidate.bbox, info.bbox) && isRingInside(info.ring, candidate.ring)) return candidate;
  }
  return undefined;
}

/** Decided by the first vertex (or edge midpoint) not on the outer ring's boundary. */
function isRingInside(inner: readonly Position[], outer: readonly Position[]): boolean {
  for (const p of inner) {
    const status = pointInRing(p[0], p[1], outer);
    if (status !== 0) return status > 0;
  }
  for (let i = 1; i < inner.length; i++) {
    const a = inner[i - 1];
    const b = inner[i];
    const status = pointInRing((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, outer);
    if (status !== 0) return status > 0;
  }
  return false;
}

function ringBbox(ring: readonly Position[]): [number, number, number, number] {
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (const p of ring) {
    const x = p[0];
    const y = p[1];
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  return [xmin, ymin, xmax, ymax];
}

function bboxContains(outer: readonly number[], inner: readonly number[]): boolean {
  return (
    outer[0] <= inner[0] &&
    outer[1] <= inner[1] &&
    outer[2] >= inner[2] &&
    outer[3] >= inner[3]
  );
}
