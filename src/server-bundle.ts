import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions, loadEsbuild } from './worker-bundle.js';

/**
 * Writes the command line and server (src/cli.ts and every project module it imports) as bundled
 * ES modules in `outdir` (cli.js, and one chunk per part that cli.ts imports on demand, so `tessera
 * help` still loads no GDAL), which bin/tessera.js runs without tsx: no compiler thread, transform
 * cache or source maps in the server process (issue 18). Packages stay imported from node_modules;
 * each module keeps its own `import.meta.url`, so worker entries, task modules and files beside it
 * are still found in src/.
 */
export async function writeServerBundle(outdir: string): Promise<void> {
  const entry = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const result = await loadEsbuild().build({ ...bundleOptions(entry), write: false, format: 'esm', splitting: true, outdir });
  // Written whole beside it, then swapped in: a server starting meanwhile never reads half a bundle.
  const partial = `${outdir}.${process.pid}.tmp`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  for (const file of result.outputFiles) await writeFile(path.join(partial, path.relative(outdir, file.path)), file.contents);
  await rm(outdir, { recursive: true, force: true });
  await rename(partial, outdir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeServerBundle(path.resolve(process.argv[2] ?? 'dist/server'));
