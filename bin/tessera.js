#!/usr/bin/env node
// GDAL reads/warps (gdal-async) and image encoding (sharp) run on libuv's thread pool, 4 threads by
// default and sized on first use: size it first, so renders do not queue behind each other's I/O.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(8, 4 * (await import('node:os')).availableParallelism()));
// Runs the TypeScript sources through tsx, so there is no build step to forget; job workers do the same.
const { register } = await import('tsx/esm/api');

register();
await import('../src/cli.ts');
