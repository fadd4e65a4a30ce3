import { TaskError } from '../../../jobs/task.js';

/** Metres per linear unit, for `searchDistance` / `outputCellSize` (`{"distance", "units"}`). */
const METERS: Record<string, number> = {
  meters: 1,
  kilometers: 1000,
  feet: 0.3048,
  yards: 0.9144,
  miles: 1609.344,
  nauticalmiles: 1852,
  usfeet: 1200 / 3937,
};

/** Square metres per output area unit. */
const SQUARE_METERS: Record<string, number> = {
  squarekilometers: 1e6,
  squaremiles: 1609.344 ** 2,
  squaremeters: 1,
  hectares: 1e4,
  acres: 4046.8564224,
  squarefeet: 0.3048 ** 2,
};

/**
 * A linear distance in metres from `{"distance": 2, "units": "Kilometers"}` (also `esri…` unit
 * names and a bare number in metres); undefined when absent.
 */
export function readLinearDistance(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      throw new TaskError(`'${name}' must be {"distance": <number>, "units": <unit>}.`);
    }
  }
  if (typeof parsed === 'number') return positive(name, parsed);
  const object = parsed as { distance?: unknown; units?: unknown } | null;
  const distance = Number(object?.distance);
  const units = String(object?.units ?? 'Meters').replace(/^esri/i, '').toLowerCase();
  const factor = METERS[units];
  if (!factor) throw new TaskError(`'${name}' units '${String(object?.units)}' are not one of Meters, Kilometers, Feet, Yards, Miles, NauticalMiles.`);
  return positive(name, distance) * factor;
}

/** Square metres in one output area unit (default square kilometres). */
export function readAreaUnit(value: unknown): { name: string; squareMeters: number } {
  const name = typeof value === 'string' && value.trim() ? value.trim() : 'SquareKilometers';
  const squareMeters = SQUARE_METERS[name.replace(/^esri/i, '').toLowerCase()];
  if (!squareMeters) throw new TaskError(`'outputAreaUnits' must be SquareKilometers or SquareMiles.`);
  return { name, squareMeters };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new TaskError(`'${name}' must be a positive distance.`);
  return value;
}

/**
 * ArcGIS's default kernel radius (a spatial variant of Silverman's rule of thumb):
 * 0.9 × min(SD, √(1/ln 2) × Dm) × n^−0.2, with SD the standard distance of the points and Dm the
 * median distance to their mean centre.
 */
export function defaultSearchRadius(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const distances = points.map((p) => Math.hypot(p.x - mx, p.y - my)).sort((a, b) => a - b);
  const sd = Math.sqrt(distances.reduce((s, d) => s + d * d, 0) / n);
  const dm = n % 2 ? distances[(n - 1) / 2]! : (distances[n / 2 - 1]! + distances[n / 2]!) / 2;
  const radius = 0.9 * Math.min(sd, Math.sqrt(1 / Math.LN2) * dm) * n ** -0.2;
  return radius > 0 ? radius : 1;
}
