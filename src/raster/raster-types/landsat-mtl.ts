/** An MTL file as a tree of groups; values are kept as text, as in USGS's MTL.json. */
export type MtlTree = { [key: string]: string | MtlTree };

export interface LandsatMetadata {
  productId: string;
  /** 1 or 2 (USGS Collection); null for pre-collection files. */
  collection: number | null;
  /** L1TP, L1GT, L2SP, L2SR… */
  processingLevel: string;
  spacecraft: string;
  sensor: string;
  /** DATE_ACQUIRED + SCENE_CENTER_TIME, epoch milliseconds (UTC). */
  acquisitionTime: number | null;
  cloudCover: number | null;
  sunAzimuth: number | null;
  sunElevation: number | null;
  wrsPath: number | null;
  wrsRow: number | null;
  /** Band key (`1`, `8`, `6_VCID_1`, `ST_B10`) → file name. */
  bandFiles: Record<string, string>;
  /** Band key → reflectance rescaling (TOA for Level-1, surface reflectance for Level-2). */
  reflectance: Record<string, { scale: number; offset: number }>;
}

/**
 * Parses the ODL text of an MTL.txt (`GROUP = X` … `END_GROUP = X`, `KEY = value`, `END`) into
 * the same tree MTL.json holds. Quotes around strings are removed.
 */
export function parseMtlText(text: string): MtlTree {
  const root: MtlTree = {};
  const stack: MtlTree[] = [root];
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z0-9_]+)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!match) continue;
    const [, key, value] = match;
    const top = stack[stack.length - 1];
    if (key === 'GROUP') {
      const group: MtlTree = {};
      top[value] = group;
      stack.push(group);
    } else if (key === 'END_GROUP') {
      if (stack.length > 1) stack.pop();
    } else {
      top[key] = value.replace(/^"(.*)"$/, '$1');
    }
  }
  return root;
}

/** Reads what the Landsat raster types need from an MTL tree, Collection 1 or 2, Level 1 or 2. */
export function readLandsatMetadata(tree: MtlTree): LandsatMetadata {
  const values = flatten(tree);
  const first = (...keys: string[]): string | undefined => keys.map((k) => values.get(k)?.[0]?.value).find((v) => v !== undefined);
  const num = (...keys: string[]): number | null => {
    const v = first(...keys);
    return v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);
  };
  const level = first('PROCESSING_LEVEL', 'DATA_TYPE') ?? '';
  const bandFiles: Record<string, string> = {};
  for (const [key, entries] of values) {
    const band = /^FILE_NAME_BAND_(.+)$/.exec(key);
    if (band) bandFiles[band[1]] = entries[0].value;
  }
  // Level-2 files carry both the Level-1 TOA and the surface reflectance factors: the pixels are SR.
  const reflectanceGroup = level.startsWith('L2') ? 'LEVEL2_SURFACE_REFLECTANCE_PARAMETERS' : undefined;
  const reflectance: LandsatMetadata['reflectance'] = {};
  for (const [key, entries] of values) {
    const band = /^REFLECTANCE_MULT_BAND_(.+)$/.exec(key);
    if (!band) continue;
    const scale = pickEntry(entries, reflectanceGroup);
    const offset = pickEntry(values.get(`REFLECTANCE_ADD_BAND_${band[1]}`), reflectanceGroup);
    if (scale !== undefined && offset !== undefined) reflectance[band[1]] = { scale: Number(scale), offset: Number(offset) };
  }
  return {
    productId: first('LANDSAT_PRODUCT_ID', 'LANDSAT_SCENE_ID') ?? '',
    collection: num('COLLECTION_NUMBER'),
    processingLevel: level,
    spacecraft: first('SPACECRAFT_ID') ?? '',
    sensor: first('SENSOR_ID') ?? '',
    acquisitionTime: parseAcquisitionTime(first('DATE_ACQUIRED', 'ACQUISITION_DATE'), first('SCENE_CENTER_TIME', 'SCENE_CENTER_SCAN_TIME')),
    cloudCover: num('CLOUD_COVER'),
    sunAzimuth: num('SUN_AZIMUTH'),
    sunElevation: num('SUN_ELEVATION'),
    wrsPath: num('WRS_PATH'),
    wrsRow: num('WRS_ROW'),
    bandFiles,
    reflectance,
  };
}

type Entry = { group: string; value: string };

/** Every key anywhere in the tree → its values with the group each came from, in file order. */
function flatten(tree: MtlTree, group = '', out = new Map<string, Entry[]>()): Map<string, Entry[]> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(key, [...(out.get(key) ?? []), { group, value }]);
    else flatten(value, key, out);
  }
  return out;
}

function pickEntry(entries: Entry[] | undefined, preferredGroup: string | undefined): string | undefined {
  if (!entries) return undefined;
  return (entries.find((e) => e.group === preferredGroup) ?? entries[0]).value;
}

/** `2023-01-15` + `18:42:08.8791250Z` → epoch ms. USGS writes 7 fraction digits; JS takes 3. */
export function parseAcquisitionTime(date: string | undefined, time: string | undefined): number | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const clock = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/.exec(time ?? '');
  const iso = clock ? `${date}T${clock[1]}:${clock[2]}:${clock[3]}.${(clock[4] ?? '0').padEnd(3, '0').slice(0, 3)}Z` : `${date}T00:00:00Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
