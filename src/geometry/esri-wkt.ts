import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type * as Gdal from 'gdal-async';

/**
 * The EPSG (or Esri) code of an Esri-flavour WKT (`GEOGCS["GCS_WGS_1984",…]`), which GDAL's
 * autoIdentifyEPSG cannot name. PROJ's database keeps Esri's names as aliases of the EPSG
 * objects (and Esri-only systems under the ESRI authority); the candidate its name gives is
 * accepted only when GDAL, reading the WKT as Esri's, finds it the same system.
 *
 * @example identifyEsriWkt('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",…]]') // 4326
 */
export function identifyEsriWkt(wkt: string, gdal: typeof Gdal): number | undefined {
  const name = /^\s*(?:PROJCS|GEOGCS)\s*\[\s*"([^"]+)"/i.exec(wkt)?.[1];
  const db = projDb();
  if (!name || !db) return undefined;
  let parsed: Gdal.SpatialReference;
  try {
    parsed = gdal.SpatialReference.fromESRI([wkt]);
  } catch {
    return undefined;
  }
  for (const { auth, code } of candidates(db, name)) {
    try {
      const candidate = gdal.SpatialReference.fromUserInput(`${auth}:${code}`);
      if (parsed.isSame(candidate)) return Number(code);
    } catch {
      // Not a code this GDAL knows: try the next.
    }
  }
  return undefined;
}

function candidates(db: BetterSqlite3.Database, name: string): Array<{ auth: string; code: string }> {
  return db
    .prepare(
      `SELECT auth_name AS auth, code FROM alias_name WHERE alt_name = ? AND table_name IN ('geodetic_crs', 'projected_crs')
       UNION ALL SELECT auth_name, code FROM geodetic_crs WHERE name = ? AND auth_name IN ('EPSG', 'ESRI')
       UNION ALL SELECT auth_name, code FROM projected_crs WHERE name = ? AND auth_name IN ('EPSG', 'ESRI')`,
    )
    .all(name, name, name) as Array<{ auth: string; code: string }>;
}

let db: BetterSqlite3.Database | null | undefined;
function projDb(): BetterSqlite3.Database | null {
  if (db !== undefined) return db;
  const dirs = [process.env.PROJ_DATA, process.env.PROJ_LIB, '/usr/share/proj', '/usr/local/share/proj'].filter((d): d is string => !!d);
  const file = dirs.map((dir) => path.join(dir, 'proj.db')).find((candidate) => existsSync(candidate));
  if (!file) return (db = null);
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  db = new Database(file, { readonly: true, fileMustExist: true });
  return db;
}
