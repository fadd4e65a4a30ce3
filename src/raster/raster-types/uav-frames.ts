import path from 'node:path';
import gdal from 'gdal-async';
import { inspectRaster, openRaster } from '../inspect-raster.js';
import { createPointTransformer } from '../point-transformer.js';
import { RasterError, RasterTypeError, throwIfAborted } from '../raster-error.js';
import type { RasterInfo } from '../raster-info.js';
import { parseExifCamera, parseExifDate, parseExifNumbers, parseExifPosition } from './exif.js';
import { computeFrameGcps, computeGroundSampleDistance, computeTrackHeadings, findUtmEpsg, type FrameCamera, type GridPoint } from './frame-camera.js';
import { parseBooleanProp, parseCameraProperties, parseGpsRows, type CameraProps, type GpsRow } from './frame-props.js';
import { getNumberProp, getProp, type IngestItem, type RasterTypeContext } from './ingest-item.js';
import { listInputFiles } from './list-input-files.js';
import { openElevationSampler, type ElevationSampler } from './elevation-sampler.js';

export type FrameTypeName = 'UAV/UAS' | 'Aerial' | 'ScannedAerial';

interface Frame {
  file: string;
  info: RasterInfo;
  position: { latitude: number; longitude: number; altitude: number | null };
  time: number | null;
  order: number;
}

/**
 * The frame-camera types (`UAV/UAS`, `Aerial`, `ScannedAerial`): every image becomes a VRT whose
 * GCPs place its corners on the ground, ready for a first-order polynomial warp. This is the
 * approximate, pre-adjustment placement of docs/imagery.md: nadir camera, flat ground at the DEM
 * height (or `constantZ`) below the camera, heading from the track between consecutive frames
 * (or EXIF GPSImgDirection). Position comes from the `gps` rows, else EXIF GPS; the camera from
 * `cameraProperties`, else EXIF. Images that are already georeferenced pass through unchanged.
 * ScannedAerial frames are treated like digital ones: fiducial marks are not measured.
 */
export async function resolveFrames(inputs: string[], typeName: FrameTypeName, context: RasterTypeContext): Promise<IngestItem[]> {
  const gpsRows = parseGpsRows(getProp(context.props, 'gps'));
  const camera = parseCameraProperties(getProp(context.props, 'cameraProperties'));
  const { frames, georeferenced } = await readFrames(inputs, gpsRows, context);
  const demPath = resolveDemPath(getProp(context.props, 'dem'));
  const dem = demPath ? await openElevationSampler(demPath) : undefined;
  try {
    const headings = headingsOf(frames);
    const items: IngestItem[] = georeferenced.map((g) => ({ name: baseName(g.file), sourcePath: g.file, attributes: frameAttributes(g.info, g.file, typeName) }));
    for (const [i, frame] of frames.entries()) {
      throwIfAborted(context.signal);
      items.push(await buildFrameItem(frame, i, headings[i], camera, dem, typeName, context));
    }
    return items;
  } finally {
    dem?.close();
  }
}

async function readFrames(inputs: string[], gpsRows: Map<string, GpsRow>, context: RasterTypeContext) {
  const frames: Frame[] = [];
  const georeferenced: { file: string; info: RasterInfo }[] = [];
  for (const input of await listInputFiles(inputs)) {
    throwIfAborted(context.signal);
    const info = await inspectRaster(input.path, { signal: context.signal }).catch((error: unknown) => {
      if (!input.explicit && error instanceof RasterError) return null;
      throw error;
    });
    if (!info) continue;
    if (info.isGeoreferenced) {
      georeferenced.push({ file: input.path, info });
      continue;
    }
    const name = path.basename(input.path).toLowerCase();
    const row = gpsRows.get(name) ?? gpsRows.get(name.replace(/\.[^.]+$/, ''));
    const exif = parseExifPosition(info.metadata);
    if (!row && !exif) throw new RasterTypeError(`${path.basename(input.path)} has no GPS position (no gps row names it, no EXIF GPS tags) and no georeference`);
    const position = row ? { latitude: row.latitude, longitude: row.longitude, altitude: row.altitude ?? exif?.altitude ?? null } : exif!;
    frames.push({ file: input.path, info, position, time: parseExifDate(info.metadata.EXIF_DateTimeOriginal), order: row?.order ?? Number.MAX_SAFE_INTEGER });
  }
  if (frames.length === 0 && georeferenced.length === 0) throw new RasterTypeError('No image GDAL can read was found in the input');
  // Flight order: the gps list order, else capture time, else file name.
  frames.sort((a, b) => a.order - b.order || (a.time ?? 0) - (b.time ?? 0) || a.file.localeCompare(b.file));
  return { frames, georeferenced };
}

/** Heading per frame: EXIF GPSImgDirection when the camera recorded it, else the track. */
function headingsOf(frames: Frame[]): number[] {
  if (frames.length === 0) return [];
  const utm = gdal.SpatialReference.fromEPSG(findUtmEpsg(frames[0].position.longitude, frames[0].position.latitude));
  const toGrid = createPointTransformer(gdal.SpatialReference.fromEPSG(4326), utm);
  const track: GridPoint[] = frames.map((f) => {
    const [x, y] = toGrid(f.position.longitude, f.position.latitude) ?? [0, 0];
    return { x, y };
  });
  const fromTrack = computeTrackHeadings(track);
  return frames.map((f, i) => parseExifNumbers(f.info.metadata.EXIF_GPSImgDirection)[0] ?? fromTrack[i] ?? 0);
}

async function buildFrameItem(frame: Frame, index: number, heading: number, props: CameraProps, dem: ElevationSampler | undefined, typeName: FrameTypeName, context: RasterTypeContext): Promise<IngestItem> {
  const name = path.basename(frame.file);
  const camera = frameCamera(frame.info, props, name);
  const { latitude, longitude, altitude } = frame.position;
  const groundZ = (dem ? await dem.sample(longitude, latitude) : null) ?? getNumberProp(context.props, 'constantZ') ?? 0;
  if (altitude === null) throw new RasterTypeError(`${name} has no altitude (neither in its gps row nor in EXIF)`);
  const heightAboveGround = parseBooleanProp(getProp(context.props, 'isAltitudeFlightHeight')) ? altitude : altitude - groundZ;
  if (!(heightAboveGround > 0)) throw new RasterTypeError(`${name}: the camera is not above the ground (altitude ${altitude} m, ground ${groundZ} m)`);
  const epsg = findUtmEpsg(longitude, latitude);
  const toUtm = createPointTransformer(gdal.SpatialReference.fromEPSG(4326), gdal.SpatialReference.fromEPSG(epsg));
  const [x, y] = toUtm(longitude, latitude)!;
  const gcps = computeFrameGcps({ x, y }, heightAboveGround, heading, camera);
  // The index keeps same-named frames from different folders apart.
  const vrtPath = path.join(context.scratchDir, `${baseName(frame.file)}_${index}.vrt`);
  const source = await openRaster(frame.file);
  try {
    const args = ['-of', 'VRT', '-a_srs', `EPSG:${epsg}`, ...gcps.flatMap((g) => ['-gcp', String(g.pixel), String(g.line), String(g.x), String(g.y)])];
    (await gdal.translateAsync(vrtPath, source, args)).close();
  } finally {
    source.close();
  }
  return {
    name: baseName(frame.file),
    sourcePath: vrtPath,
    attributes: {
      ...frameAttributes(frame.info, frame.file, typeName, props),
      Latitude: latitude,
      Longitude: longitude,
      Altitude: altitude,
      GroundZ: groundZ,
      FlightHeight: heightAboveGround,
      CameraHeading: heading,
      GSD: computeGroundSampleDistance(heightAboveGround, camera),
      FocalLength: camera.focalLengthMm,
    },
  };
}

/** The camera for this image: cameraProperties first, EXIF for what they leave out. */
function frameCamera(info: RasterInfo, props: CameraProps, name: string): FrameCamera {
  const exif = parseExifCamera(info.metadata, info.width);
  const focalLengthMm = props.focalLengthMm ?? exif.focalLengthMm;
  let pixelSizeMm = props.pixelSizeMm ?? exif.pixelSizeMm;
  // cameraProperties describe the sensor; a resized image has proportionally larger pixels.
  if (props.pixelSizeMm && props.columns && props.columns !== info.width) pixelSizeMm = (props.pixelSizeMm * props.columns) / info.width;
  if (!focalLengthMm || !pixelSizeMm) {
    throw new RasterTypeError(`${name}: the camera's focal length and pixel size are unknown; give cameraProperties (FocalLength in mm, PixelSize in microns)`);
  }
  return { focalLengthMm, pixelSizeMm, columns: info.width, rows: info.height, principalPointMm: props.principalPointMm };
}

function frameAttributes(info: RasterInfo, file: string, typeName: FrameTypeName, props: CameraProps = {}): IngestItem['attributes'] {
  const md = info.metadata;
  const sensor = [props.maker ?? md.EXIF_Make, props.model ?? md.EXIF_Model].filter(Boolean).join(' ');
  return {
    ProductName: typeName,
    SensorName: sensor || null,
    AcquisitionDate: parseExifDate(md.EXIF_DateTimeOriginal ?? md.TIFFTAG_DATETIME),
    Tag: 'Frame',
    GroupName: path.basename(path.dirname(file)),
  };
}

/** `dem` as a GDAL-openable path: text, or `{uri}` / `{path}`. Services and items must be resolved by the caller. */
export function resolveDemPath(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  const v = value as { uri?: unknown; path?: unknown };
  if (typeof v.uri === 'string') return v.uri;
  if (typeof v.path === 'string') return v.path;
  throw new RasterTypeError('dem must be a raster path or {"uri": path}; resolve service URLs and items before ingest');
}

function baseName(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}
