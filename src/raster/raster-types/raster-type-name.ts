/** The raster types this server ingests (REST spelling). */
export type RasterTypeName = 'Raster Dataset' | 'UAV/UAS' | 'Aerial' | 'ScannedAerial' | 'Landsat 7 ETM+' | 'Landsat 8' | 'Sentinel-2' | 'ZY3-SASMAC' | 'ZY3-CRESDA';

const ALIASES: Record<string, RasterTypeName> = {
  rasterdataset: 'Raster Dataset',
  uavuas: 'UAV/UAS',
  uav: 'UAV/UAS',
  uas: 'UAV/UAS',
  aerial: 'Aerial',
  scannedaerial: 'ScannedAerial',
  landsat7etm: 'Landsat 7 ETM+',
  landsat7etmplus: 'Landsat 7 ETM+',
  landsat7: 'Landsat 7 ETM+', // a documented example sends "Landsat 7"
  landsat8: 'Landsat 8',
  sentinel2: 'Sentinel-2',
  zy3sasmac: 'ZY3-SASMAC',
  zy3cresda: 'ZY3-CRESDA',
};

// Types ArcGIS clients know that this server does not ingest yet (ArcGIS rasterType names).
const KNOWN_UNSUPPORTED = [
  'Tiled Imagery Layer', 'QuickBird', 'WorldView-1', 'WorldView-2', 'WorldView-3', 'WorldView-4', 'Pleiades-1', 'SPOT 5', 'SPOT 6',
  'SPOT 7', 'Landsat 4-5 TM', 'Landsat 1-5 MSS', 'Landsat 9', 'GeoEye-1', 'IKONOS', 'RapidEye', 'SkySat', 'KOMPSAT-2', 'KOMPSAT-3',
  'GF-1', 'GF-2', 'DubaiSat-2', 'DMCii', 'ASTER', 'NetCDF', 'GRIB', 'HDF',
];

/** Normalises a `rasterTypeName` (any case, spaces, dashes, `+`); null when unknown. */
export function normaliseRasterTypeName(name: string): RasterTypeName | null {
  return ALIASES[compact(name)] ?? null;
}

/** The REST spelling of a type ArcGIS knows but this server does not ingest yet. */
export function findKnownUnsupportedType(name: string): string | undefined {
  return KNOWN_UNSUPPORTED.find((known) => compact(known) === compact(name));
}

function compact(name: string): string {
  return name.toLowerCase().replace(/\+/g, '').replace(/[^a-z0-9]/g, '');
}
