import type { CollectionRecord } from '../store/catalog-store.js';

/** Data bands of a collection: its widest item's bands less an alpha band. */
export function dataBandCount(collection: CollectionRecord): number {
  const { bandCount, colorInterpretations } = collection.summary;
  return Math.max(1, bandCount - (colorInterpretations.includes('Alpha') ? 1 : 0));
}

/** The collection's pixel type when the renderer handles it, else F32. */
export function collectionPixelType(collection: CollectionRecord): string {
  const type = collection.summary.pixelType ?? 'U8';
  return ['U1', 'U2', 'U4'].includes(type) ? 'U8' : /^C/.test(type) || type === 'UNKNOWN' ? 'F32' : type;
}
