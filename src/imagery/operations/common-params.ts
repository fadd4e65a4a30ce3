import { param } from '../../http/operation-params.js';
import { readCollectionGeometry } from '../render/geometry-params.js';
import { parseMosaicRule } from '../render/mosaic-rule.js';
import { parseRenderingRule } from '../render/raster-functions/rendering-rule.js';
import type { CollectionRecord } from '../store/catalog-store.js';

/** Parameters several ImageServer operations read the same way. */
export const mosaicRuleParam = () => param((params, name) => parseMosaicRule(params.json(name)), { type: 'textarea' });
export const renderingRuleParam = () => param((params, name) => parseRenderingRule(params.json(name)), { type: 'textarea' });

/** `geometry` (+ `geometryType`, `inSR`) in the collection's SR; `then` checks or reduces it. */
export function geometryParam<T>(then: (geometry: ReturnType<typeof readCollectionGeometry>) => T) {
  return {
    read: (params: Parameters<typeof readCollectionGeometry>[0], _name: string, collection: CollectionRecord) => then(readCollectionGeometry(params, collection)),
    input: { type: 'textarea' as const },
    companions: [{ name: 'geometryType' }],
  };
}
