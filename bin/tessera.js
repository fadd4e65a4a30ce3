#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { execWithArenaCap } from './arena-cap.js';

// The long-running commands, before anything allocates much (see arena-cap.js).
if (process.argv[2] === 'serve' || process.argv[2] === 'worker') execWithArenaCap();

// GDAL reads/warps (gdal-async) and image encoding (sharp) run on libuv's thread pool, sized on
// first use: size it first. Two threads a core keep the cores busy at 4 clients; each thread more
// holds its own GDAL and PROJ state: 8 threads on 2 cores peaked ~25-30 MiB higher than 4, for no
// less CPU per view (issue 18).
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, 2 * availableParallelism()));

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/server/cli.js', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Modified time of the bundle, 0 when missing; of the newest source file otherwise. */
function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Whether the bundle is newer than every source file it may hold (tests are not bundled). The
 * listing carries file types: without them Node stats every entry to walk the tree, most of this
 * check's CPU: ~40 down to ~20 ms of a ~200 ms `tessera --version` (src/ of ~600 files).
 */
function bundleIsFresh() {
  const built = mtime(BUNDLE);
  if (!built) return false;
  return readdirSync(SRC, { recursive: true, withFileTypes: true }).every(
    (entry) => !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || mtime(path.join(entry.parentPath, entry.name)) <= built,
  );
}

/**
 * Runs the server as one bundled module (dist/server/, built from src/ by esbuild whenever a
 * source file is newer): no TypeScript compiler, transform cache or source maps in the process,
 * ~50 MiB less RSS than running src/ through tsx (issue 18). Where the bundle cannot be written,
 * the sources run through tsx as before. TESSERA_TSX=1 forces the latter.
 */
function bundled() {
  if (process.env.TESSERA_TSX === '1') return false;
  if (bundleIsFresh()) return true;
  const build = spawnSync(process.execPath, ['--import', TSX, SRC + 'server-bundle.ts', path.dirname(BUNDLE)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return build.status === 0;
}

if (bundled()) {
  await import(pathToFileURL(BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
