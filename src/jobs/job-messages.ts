import type { JobMessage } from '../store/job-queue.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number) => String(n).padStart(2, '0');

/** `Mon Jan 06 10:00:00 2025`, the server-local form ArcGIS uses in job messages. */
export function formatJobTime(ms: number): string {
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${time} ${d.getFullYear()}`;
}

/** `4.12 seconds` */
export function formatElapsed(fromMs: number, toMs: number): string {
  return `${((toMs - fromMs) / 1000).toFixed(2)} seconds`;
}

export function info(description: string, time = Date.now()): JobMessage {
  return { type: 'informative', description, time };
}

export function warning(description: string, time = Date.now()): JobMessage {
  return { type: 'warning', description, time };
}

export function error(description: string, time = Date.now()): JobMessage {
  return { type: 'error', description, time };
}
