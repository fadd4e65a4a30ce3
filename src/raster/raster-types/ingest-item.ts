/**
 * Catalog attributes of one image, named like ArcGIS mosaic dataset fields. Times are epoch
 * milliseconds (UTC); CloudCover is the percentage the product metadata states (0–100).
 */
export interface IngestAttributes {
  ProductName?: string | null;
  SensorName?: string | null;
  AcquisitionDate?: number | null;
  CloudCover?: number | null;
  SunAzimuth?: number | null;
  SunElevation?: number | null;
  Tag?: string | null;
  GroupName?: string | null;
  [field: string]: string | number | null | undefined;
}

/** One image a raster type found in the input, ready for convertToCog / computeFootprint. */
export interface IngestItem {
  /** Catalog item name (the `Name` field). */
  name: string;
  /** What GDAL opens: the file itself, a VRT in the scratch folder, or a subdataset name. */
  sourcePath: string;
  attributes: IngestAttributes;
  /** Band names in order (`Blue`, `Red`, `B4`…), when the type knows them. */
  bandNames?: string[];
  /** Pixel value to declare as nodata when converting: fill that the source does not tag. */
  noData?: number;
  /** Per band: reflectance = DN × scale + offset (Landsat). */
  bandScaling?: { scale: number; offset: number }[];
}

/** `rasterTypeParameters` as the request sent them. */
export type RasterTypeProps = Record<string, unknown>;

/** What every raster type resolver receives besides its inputs. */
export interface RasterTypeContext {
  props: RasterTypeProps;
  /** Folder for the VRTs a type writes; items point into it, so it must outlive the ingest. */
  scratchDir: string;
  signal?: AbortSignal;
}

/** A raster type parameter, matching the key case-insensitively (clients vary: ConstantZ, constantz). */
export function getProp(props: RasterTypeProps | undefined, name: string): unknown {
  if (!props) return undefined;
  const key = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : props[key];
}

/** A numeric parameter given as a number or numeric text; undefined when absent or not a number. */
export function getNumberProp(props: RasterTypeProps | undefined, name: string): number | undefined {
  const value = getProp(props, name);
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
