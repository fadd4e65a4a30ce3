/**
 * The attack suites run at a size CI affords by default; `TESSERA_ATTACK=full` runs the size the
 * outside attack used (thousands of clauses, every case). Each suite prints its counts.
 */
import { createRandom } from '../../src/where/where-cases.fixture.js';

export const FULL = process.env.TESSERA_ATTACK === 'full';

export function sized(ci: number, full: number): number {
  return FULL ? full : ci;
}

/** The where cases' seeded generator (mulberry32), so a failing run can be replayed with its seed. */
export const seededRandom = createRandom;

export const SEED = Number(process.env.TESSERA_ATTACK_SEED ?? Date.now() % 1_000_000);

/** The ArcGIS error code of an answer in either envelope (REST or admin), or undefined on success. */
export function errorCode(answer: unknown): number | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const a = answer as { error?: { code?: number }; status?: string; code?: number };
  if (a.error && typeof a.error.code === 'number') return a.error.code;
  if (a.status === 'error') return typeof a.code === 'number' ? a.code : 500;
  return undefined;
}
