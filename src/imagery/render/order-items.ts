import type { MosaicRule } from './mosaic-rule.js';

/** What ordering needs of a catalog item: its id, wire fields and bounding box. */
export interface OrderableItem {
  objectId: number;
  fields: Record<string, unknown>;
  bbox: { xmin: number; ymin: number; xmax: number; ymax: number };
}

/** Points of the request in the collection's SR. `northwest` is the collection's, not the view's. */
export interface MosaicView {
  center: [number, number];
  northwest: [number, number];
  viewpoint?: [number, number];
}

/**
 * Orders candidate items top first, the way a mosaic dataset stacks them: ZOrder first (lowest
 * on top, null as 0), then the method's key, then OBJECTID. LockRaster keeps only the listed ids,
 * in the listed order. `ascending: false` reverses the method's key (not ZOrder).
 *
 * @example orderMosaicItems(items, { method: 'center', operation: 'first', ascending: true }, view)
 */
export function orderMosaicItems<T extends OrderableItem>(items: T[], rule: MosaicRule, view: MosaicView): T[] {
  if (rule.method === 'lockRaster') {
    const rank = new Map((rule.lockRasterIds ?? []).map((id, i) => [id, i] as const));
    return items.filter((item) => rank.has(item.objectId)).sort((a, b) => rank.get(a.objectId)! - rank.get(b.objectId)!);
  }
  const key = keyFunction(rule, view);
  const direction = rule.ascending ? 1 : -1;
  const keyed = items.map((item) => ({ item, z: zOrderOf(item), key: key(item) }));
  keyed.sort((a, b) => a.z - b.z || compareKeys(a.key, b.key, direction) || a.item.objectId - b.item.objectId);
  return keyed.map((k) => k.item);
}

type SortKey = number | null;

function keyFunction(rule: MosaicRule, view: MosaicView): (item: OrderableItem) => SortKey {
  switch (rule.method) {
    case 'center':
      return (item) => distance(centerOf(item), view.center);
    case 'nadir':
      return (item) => distance(nadirOf(item), view.center);
    case 'viewpoint':
      return (item) => distance(centerOf(item), view.viewpoint ?? view.center);
    case 'northwest':
    case 'seamline':
      return (item) => distance(centerOf(item), view.northwest);
    case 'attribute':
      return attributeKey(rule);
    default:
      return (item) => item.objectId;
  }
}

/** By attribute: distance of the field's value to `sortValue` (dates compare as epoch ms); nulls last. */
function attributeKey(rule: MosaicRule): (item: OrderableItem) => SortKey {
  const field = rule.sortField;
  if (!field) return (item) => item.objectId;
  const target = toNumber(rule.sortValue) ?? 0;
  return (item) => {
    const name = Object.keys(item.fields).find((k) => k.toLowerCase() === field.toLowerCase());
    const value = name === undefined ? null : toNumber(item.fields[name]);
    return value === null ? null : Math.abs(value - target);
  };
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
    const date = Date.parse(value);
    return Number.isNaN(date) ? null : date;
  }
  return null;
}

/** Nulls sort last whatever the direction: an item without the attribute is never preferred. */
function compareKeys(a: SortKey, b: SortKey, direction: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return direction * (a - b);
}

function zOrderOf(item: OrderableItem): number {
  const z = item.fields.ZOrder;
  return typeof z === 'number' && Number.isFinite(z) ? z : 0;
}

function centerOf(item: OrderableItem): [number, number] {
  const { CenterX: x, CenterY: y } = item.fields;
  if (typeof x === 'number' && typeof y === 'number') return [x, y];
  return [(item.bbox.xmin + item.bbox.xmax) / 2, (item.bbox.ymin + item.bbox.ymax) / 2];
}

function nadirOf(item: OrderableItem): [number, number] {
  const { NadirX: x, NadirY: y } = item.fields;
  return typeof x === 'number' && typeof y === 'number' ? [x, y] : centerOf(item);
}

function distance(a: [number, number], b: [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
