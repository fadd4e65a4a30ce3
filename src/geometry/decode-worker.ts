/** Worker-thread entry of decodeGeometryOffThread: JSON text in, WKB out (the buffer transferred). */
import { parentPort } from 'node:worker_threads';
import { serveThreadTasks } from '../thread-pool.js';
import { decodeGeometryText } from './decode-geometry-text.js';

serveThreadTasks(
  parentPort!,
  (message) => decodeGeometryText(message.text as string, message.geometryType),
  (value) => {
    const wkb = (value as { wkb: Uint8Array | null }).wkb;
    return wkb ? [wkb.buffer as ArrayBuffer] : [];
  },
);
