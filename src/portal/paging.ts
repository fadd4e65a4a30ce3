import type { Params } from '../params.js';

/** The portal pages lists 1-based, 10 at a time by default, at most 100 a page. */
export const MAX_PAGE_SIZE = 100;

export function readPage(params: Params): { start: number; num: number } {
  const start = Math.max(1, params.int('start', 1)!);
  const num = Math.min(MAX_PAGE_SIZE, Math.max(0, params.int('num', 10)!));
  return { start, num };
}

/** `total, start, num, nextStart` as the portal reports them; nextStart is -1 on the last page. */
export function toPage(page: { start: number; num: number }, total: number): { total: number; start: number; num: number; nextStart: number } {
  const next = page.start + page.num;
  return { total, start: page.start, num: page.num, nextStart: page.num > 0 && next <= total ? next : -1 };
}
