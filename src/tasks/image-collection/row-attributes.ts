import type { CatalogItem, NewCatalogItem } from '../../imagery/store/catalog-store.js';
import { STANDARD_FIELDS } from '../../imagery/catalog-fields.js';

type RowAttributes = Pick<NewCatalogItem, 'category' | 'tag' | 'groupName' | 'productName' | 'sensorName' | 'acquisitionDate' | 'cloudCover' | 'zOrder' | 'attributes'>;

/** The attributes of an existing catalog row, to carry over when it is copied into another collection. */
export function rowAttributes(row: CatalogItem): RowAttributes {
  const f = row.fields;
  const standard = new Set(STANDARD_FIELDS.map((field) => field.name));
  return {
    category: typeof f.Category === 'number' ? f.Category : 1,
    tag: (f.Tag as string | null) ?? null,
    groupName: (f.GroupName as string | null) ?? null,
    productName: (f.ProductName as string | null) ?? null,
    sensorName: (f.SensorName as string | null) ?? null,
    acquisitionDate: (f.AcquisitionDate as number | null) ?? null,
    cloudCover: (f.CloudCover as number | null) ?? null,
    zOrder: (f.ZOrder as number | null) ?? null,
    attributes: Object.fromEntries(Object.entries(f).filter(([key, value]) => !standard.has(key) && value !== null)),
  };
}
