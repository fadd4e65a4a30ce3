import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, readImportGraph, topOf, type ImportEdge } from './import-graph.js';

// The one-way layering of docs/architecture.md, checked on the import statements of src/.
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const CAPABILITIES = ['admin', 'auth', 'catalog', 'directory', 'features', 'imagery', 'jobs', 'portal', 'tasks'];
/** Libraries below the capabilities: they know nothing of HTTP or of who calls them. */
const LOWER = ['store', 'raster', 'geometry', 'where', 'html', 'net', 'errors.ts', 'params.ts', 'statistics.ts', 'in-turn.ts'];
/** The top: the app assembly, the process entry points, the CLI commands and the demo content. */
const TOP = ['app.ts', 'server.ts', 'cli.ts', 'cli', 'demo'];

const edges = readImportGraph(SRC);
const show = (list: ImportEdge[]) => list.map(({ from, to }) => `${from} -> ${to}`);
const crossing = (from: string[], to: string[]) => edges.filter((e) => from.includes(topOf(e.from)) && to.includes(topOf(e.to)));

describe('import direction', () => {
  it('reads the graph', () => {
    expect(edges.length).toBeGreaterThan(500);
  });

  it('lower layers import neither http/, nor a capability, nor the app, nor the context', () => {
    expect(show(crossing(LOWER, ['http', 'context.ts', ...CAPABILITIES, ...TOP]))).toEqual([]);
  });

  it('no capability (nor http/) imports the app', () => {
    expect(show(crossing([...CAPABILITIES, 'http'], TOP))).toEqual([]);
  });

  it('imagery imports nothing from tasks/', () => {
    expect(show(crossing(['imagery'], ['tasks']))).toEqual([]);
  });

  it('has no import cycles between files', () => {
    expect(findCycles(edges).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });
});
