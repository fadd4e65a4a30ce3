import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Debian packages the demo takes its real data from, and the files kept from each. */
export const DEMO_PACKAGES: Record<string, string[]> = {
  // Landsat 7 ETM+ over Olinda (US public domain) and the Olinda DEM; Apache-2.0 package.
  'r-cran-stars': ['usr/lib/R/site-library/stars/tif/L7_ETMs.tif', 'usr/lib/R/site-library/stars/tif/olinda_dem_utm25s.tif'],
  // The 470 census polygons of Olinda.
  'r-cran-sf': ['usr/lib/R/site-library/sf/shape/olinda1.shp', 'usr/lib/R/site-library/sf/shape/olinda1.shx', 'usr/lib/R/site-library/sf/shape/olinda1.dbf', 'usr/lib/R/site-library/sf/shape/olinda1.prj'],
  // Natural Earth countries (public domain).
  'python3-geopandas': ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => `usr/lib/python3/dist-packages/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.${ext}`),
};

export interface DemoFiles {
  landsat: string;
  dem: string;
  olinda: string;
  countries: string;
}

/**
 * Fetches the demo packages with `apt-get download` and unpacks them with `dpkg-deb -x` into
 * `<cacheDir>` (nothing is installed system-wide), keeping only the files listed above. Files
 * already in the cache are not fetched again. Throws with apt's first line when it fails.
 */
export async function fetchDemoFiles(cacheDir: string): Promise<DemoFiles> {
  for (const [pkg, files] of Object.entries(DEMO_PACKAGES)) await fetchPackageFiles(pkg, files, cacheDir);
  const at = (pkg: string, name: string) => path.join(cacheDir, pkg, name);
  return {
    landsat: at('r-cran-stars', 'L7_ETMs.tif'),
    dem: at('r-cran-stars', 'olinda_dem_utm25s.tif'),
    olinda: at('r-cran-sf', 'olinda1.shp'),
    countries: at('python3-geopandas', 'naturalearth_lowres.shp'),
  };
}

/**
 * `files` (paths inside the package) of one Debian package, in `<cacheDir>/<pkg>/<basename>`:
 * fetched with `apt-get download` and unpacked with `dpkg-deb -x` unless all are cached already.
 * Each lands by rename, so processes fetching at once never see a half-written file.
 */
export async function fetchPackageFiles(pkg: string, files: string[], cacheDir: string): Promise<string[]> {
  const target = path.join(cacheDir, pkg);
  const kept = files.map((file) => path.join(target, path.basename(file)));
  if ((await Promise.all(kept.map(exists))).every(Boolean)) return kept;
  await mkdir(target, { recursive: true });
  const work = await mkdtemp(path.join(cacheDir, `.fetch-${pkg}-`));
  try {
    try {
      await run('apt-get', ['download', pkg], { cwd: work, timeout: 120_000 });
    } catch (error) {
      // apt's own "E: …" line when it ran; else why it could not run (no apt-get: spawn ENOENT).
      const stderr = String((error as { stderr?: string }).stderr || (error as Error).message);
      const line = stderr.split('\n').find((l) => /^E:/.test(l)) ?? stderr.split('\n')[0];
      throw new Error(`apt-get download ${pkg} failed: ${line?.trim()}`);
    }
    const deb = (await readdir(work)).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
    await run('dpkg-deb', ['-x', path.join(work, deb), path.join(work, 'x')], { timeout: 60_000 });
    for (const [i, file] of files.entries()) await rename(path.join(work, 'x', file), kept[i]!);
    return kept;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
