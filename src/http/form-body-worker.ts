/** Worker-thread entry of the form body parser (form-body.ts): bytes in, fields out. */
import { parentPort } from 'node:worker_threads';
import { serveThreadTasks } from '../thread-pool.js';
import { parseFormBytes } from './form-decode.js';

serveThreadTasks(parentPort!, (message) => {
  const bytes = message.bytes as Uint8Array;
  return parseFormBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
});
