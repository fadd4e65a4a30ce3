import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/**
 * A worker thread's TypeScript entry and the project modules it imports, as one script (esbuild,
 * built once per entry, asynchronously, kept): packages stay `require`d from node_modules (so a
 * package a worker imports must have a CommonJS entry: Node 20 cannot require ES modules). Worker
 * threads run it as plain JavaScript, without tsx, whose compiler in each thread cost ~17-25 MiB
 * of RSS per thread (issue 18: a bundled thread costs ~8 MiB). Each module keeps its own
 * `import.meta.url`, so files it reads beside itself are found.
 */
const bundles = new Map<string, Promise<string>>();

export function workerBundle(entry: URL): Promise<string> {
  let bundle = bundles.get(entry.href);
  if (!bundle) {
    bundle = build(fileURLToPath(entry));
    bundles.set(entry.href, bundle);
    // A failed build is tried again by the next thread, not remembered.
    bundle.catch(() => bundles.delete(entry.href));
  }
  return bundle;
}

async function build(file: string): Promise<string> {
  const result = await loadEsbuild().build({ ...bundleOptions(file), write: false, format: 'iife' });
  return result.outputFiles[0]!.text;
}

/** tsx's own esbuild: it is there wherever tsx is. */
export function loadEsbuild(): typeof import('esbuild') {
  return createRequire(createRequire(import.meta.url).resolve('tsx/esm/api'))('esbuild') as typeof import('esbuild');
}

/** One TypeScript entry and the project modules it imports, packages left to node_modules. */
export function bundleOptions(entry: string): import('esbuild').BuildOptions {
  return { entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'silent', define: IMPORT_META, plugins: [ownImportMeta] };
}

/**
 * `import.meta.url` (and dirname, filename) of each project module: a bundle has no modules, so
 * esbuild's `define` turns each into a name that the module's own first line declares.
 */
const IMPORT_META = { 'import.meta.url': '__ownImportMetaUrl', 'import.meta.dirname': '__ownImportMetaDirname', 'import.meta.filename': '__ownImportMetaFilename' };

const ownImportMeta: Plugin = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      const declared =
        `const __ownImportMetaUrl = ${JSON.stringify(pathToFileURL(args.path).href)}, ` +
        `__ownImportMetaDirname = ${JSON.stringify(path.dirname(args.path))}, __ownImportMetaFilename = ${JSON.stringify(args.path)};`;
      // On the first line, so the module's line numbers stay as they are.
      return { contents: declared + (await readFile(args.path, 'utf8')), loader: 'ts' };
    });
  },
};
