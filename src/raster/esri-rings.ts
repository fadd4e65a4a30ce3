import { signedArea as twiceSignedArea } from '../geometry/rings.js';
import type { Ring } from './transform-bounds.js';

/** An Esri JSON polygon's geometry part: exterior rings clockwise, holes counter-clockwise. */
export interface EsriPolygon {
  rings: Ring[];
}

/** The signed area (half of geometry/'s shoelace sum): positive when the ring runs counter-clockwise, y up. */
export function signedArea(ring: Ring): number {
  return twiceSignedArea(ring) / 2;
}

/** Closes a ring (last vertex = first) if needed. */
export function closeRing(ring: Ring): Ring {
  const [first, last] = [ring[0], ring[ring.length - 1]];
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
}

/**
 * Orients polygons the Esri way: each polygon's first ring (its exterior) clockwise, the others
 * (holes) counter-clockwise. Input: polygons as lists of rings, as GeoJSON or OGR give them.
 */
export function toEsriRings(polygons: Ring[][]): Ring[] {
  const out: Ring[] = [];
  for (const polygon of polygons) {
    polygon.forEach((raw, i) => {
      const ring = closeRing(raw);
      const clockwise = signedArea(ring) < 0;
      const wantClockwise = i === 0;
      out.push(clockwise === wantClockwise ? ring : [...ring].reverse());
    });
  }
  return out;
}
