import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One relative import between two files under src/, as paths relative to src/ (`features/routes.ts`). */
export interface ImportEdge {
  from: string;
  to: string;
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/** Every relative import of every non-test .ts file under `srcRoot`. Type-only imports count: they still tie the layers. */
export function readImportGraph(srcRoot: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of listSources(srcRoot)) {
    const text = readFileSync(path.join(srcRoot, file), 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2];
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
      edges.push({ from: file, to: target });
    }
  }
  return edges;
}

function listSources(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listSources(root, relative));
    else if (/\.ts$/.test(entry.name) && !/\.(test|fixture)\.ts$/.test(entry.name)) out.push(relative);
  }
  return out;
}

/** The first folder of a path under src/ (`features`), or the file itself for top-level modules (`app.ts`). */
export function topOf(file: string): string {
  return file.split('/')[0];
}

/** File-level import cycles, each as the files around it. */
export function findCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 'open') cycles.push(stack.slice(stack.indexOf(to)));
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of next.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
