/**
 * Micro-benchmarks of two hot paths every feature query crosses: compiling a where clause and
 * decoding stored WKB. Prints per-call figures; the tests check only the results, never a time.
 *   npm run bench:hot-paths
 */
import { esriToWkb, wkbToEsri } from '../src/geometry/wkb.js';
import { compileWhere } from '../src/where/index.js';
import { FIELDS, NOW } from '../src/where/where-cases.fixture.js';

function perCall(label: string, runs: number, fn: (i: number) => unknown): void {
  for (let i = 0; i < Math.min(runs, 1000); i++) fn(i); // JIT warm-up
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < runs; i++) fn(i);
    samples.push((performance.now() - start) / runs);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} best ${(samples[0] * 1000).toFixed(1)} µs  median ${(samples[2] * 1000).toFixed(1)} µs`);
}

const where = "POP > 1000 AND (NAME LIKE 'A%' OR CITY IN ('FR', 'DE')) AND CREATED >= DATE '2020-01-01'";
const options = { fields: FIELDS, now: NOW, currentUser: 'bob' };
perCall('compileWhere, typical clause (postgres)', 2000, (i) =>
  compileWhere(where.replace('1000', String(i)), { ...options, dialect: 'postgres' }));
perCall('compileWhere, typical clause (sqlite)', 2000, (i) =>
  compileWhere(where.replace('1000', String(i)), { ...options, dialect: 'sqlite' }));

const ring = (cx: number): number[][] => {
  const points = Array.from({ length: 49 }, (_, i) => {
    const a = (-2 * Math.PI * i) / 49;
    return [cx + 4 * Math.cos(a), 4 * Math.sin(a)];
  });
  return [...points, points[0]];
};
const wkbs = Array.from({ length: 1000 }, (_, i) => esriToWkb({ rings: [ring(i * 10)] }) as Buffer);
perCall('wkbToEsri, 1,000 polygons of 50 vertices', 20, () =>
  wkbs.map((wkb) => wkbToEsri(wkb, 'esriGeometryPolygon')));
