import { describe, expect, it } from 'vitest';
import type { MosaicRule } from './mosaic-rule.js';
import { orderMosaicItems, type OrderableItem } from './order-items.js';

/** Items on a line: centres at x = 10, 20, 30; item 3 has ZOrder -1 only where asked. */
function items(extra: Array<Record<string, unknown>> = []): OrderableItem[] {
  return [10, 20, 30].map((x, i) => ({
    objectId: i + 1,
    fields: { CenterX: x, CenterY: 0, ...(extra[i] ?? {}) },
    bbox: { xmin: x - 5, ymin: -5, xmax: x + 5, ymax: 5 },
  }));
}

const rule = (partial: Partial<MosaicRule>): MosaicRule => ({ method: 'none', operation: 'first', ascending: true, ...partial });
const view = { center: [28, 0] as [number, number], northwest: [0, 10] as [number, number] };

describe('orderMosaicItems (top first)', () => {
  it.each([
    ['None: OBJECTID', rule({}), items(), [1, 2, 3]],
    ['None descending', rule({ ascending: false }), items(), [3, 2, 1]],
    ['ZOrder first, lowest on top', rule({}), items([{}, {}, { ZOrder: -1 }]), [3, 1, 2]],
    ['Center: nearest the view centre', rule({ method: 'center' }), items(), [3, 2, 1]],
    ['NorthWest: nearest the collection corner', rule({ method: 'northwest' }), items(), [1, 2, 3]],
    ['Viewpoint', rule({ method: 'viewpoint' }), items(), [3, 2, 1]],
    ['Nadir uses NadirX/NadirY when present', rule({ method: 'nadir' }), items([{ NadirX: 29, NadirY: 0 }, {}, { NadirX: 0, NadirY: 0 }]), [1, 2, 3]],
    ['LockRaster: listed ids, listed order', rule({ method: 'lockRaster', lockRasterIds: [3, 1] }), items(), [3, 1]],
    ['Attribute: closest to sortValue', rule({ method: 'attribute', sortField: 'cloudcover', sortValue: 12 }), items([{ CloudCover: 5 }, { CloudCover: 11 }, { CloudCover: 20 }]), [2, 1, 3]],
    ['Attribute descending keeps nulls last', rule({ method: 'attribute', sortField: 'CloudCover', sortValue: 0, ascending: false }), items([{ CloudCover: 5 }, { CloudCover: null }, { CloudCover: 20 }]), [3, 1, 2]],
    ['Attribute on dates', rule({ method: 'attribute', sortField: 'AcquisitionDate', sortValue: '2020-06-01' }), items([{ AcquisitionDate: Date.parse('2019-06-01') }, { AcquisitionDate: Date.parse('2020-05-01') }, { AcquisitionDate: Date.parse('2021-06-01') }]), [2, 3, 1]], // 2020 is a leap year
  ])('%s', (_, mosaicRule, candidates, expected) => {
    const withViewpoint = { ...view, viewpoint: [31, 0] as [number, number] };
    expect(orderMosaicItems(candidates, mosaicRule, withViewpoint).map((i) => i.objectId)).toEqual(expected);
  });
});
