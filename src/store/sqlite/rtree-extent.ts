import type { Extent } from '../feature-store.js';
import type { FeatureDataset } from './feature-dataset.js';
import { quoteIdentifier } from './feature-sql.js';

/** Node header: 2 bytes tree depth + 2 bytes cell count; cell: 8-byte id + 4 float32 bounds. */
const HEADER_BYTES = 4;
const CELL_BYTES = 8 + 4 * 4;

/**
 * The extent of everything in a 2-D SQLite R*Tree, read from its root node alone (the union of
 * the root's cells), so a layer of millions of rows answers in microseconds. R*Tree bounds are
 * float32 rounded outwards, so the extent may be a hair larger than the data. The node format is
 * SQLite's documented on-disk format (big-endian; columns xmin, xmax, ymin, ymax for SpatiaLite).
 */
export function readRtreeExtent(dataset: FeatureDataset, rtree: string): Extent | null {
  const row = dataset.prepareRaw(`SELECT data FROM ${quoteIdentifier(`${rtree}_node`)} WHERE nodeno = 1`).get() as
    | [Buffer]
    | undefined;
  if (!row) return null;
  const node = row[0];
  const view = new DataView(node.buffer, node.byteOffset, node.byteLength);
  const cells = view.getUint16(2);
  if (cells === 0) return null;
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < cells; i++) {
    const at = HEADER_BYTES + i * CELL_BYTES + 8;
    xmin = Math.min(xmin, view.getFloat32(at));
    xmax = Math.max(xmax, view.getFloat32(at + 4));
    ymin = Math.min(ymin, view.getFloat32(at + 8));
    ymax = Math.max(ymax, view.getFloat32(at + 12));
  }
  return { xmin, ymin, xmax, ymax };
}
