/** A frame camera's interior orientation, in the image's own pixels. */
export interface FrameCamera {
  focalLengthMm: number;
  /** Size of one image pixel on the sensor, millimetres. */
  pixelSizeMm: number;
  columns: number;
  rows: number;
  /** Principal point offset from the image centre, mm, x right and y up (ArcGIS camera tables). */
  principalPointMm?: { x: number; y: number };
}

/** A point on a local map grid (UTM), metres. */
export interface GridPoint {
  x: number;
  y: number;
}

/** Ground control point: image pixel/line → map x/y. */
export interface FrameGcp {
  pixel: number;
  line: number;
  x: number;
  y: number;
}

/** Ground sample distance (m per pixel) of a nadir frame taken `heightM` above flat ground. */
export function computeGroundSampleDistance(heightM: number, camera: FrameCamera): number {
  return (heightM * camera.pixelSizeMm) / camera.focalLengthMm;
}

/** Direction of travel from `a` to `b` in degrees clockwise from grid north; null if they nearly coincide. */
export function computeHeading(a: GridPoint, b: GridPoint): number | null {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (Math.hypot(dx, dy) < 0.5) return null;
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

/**
 * Heading of each frame of a flight line: from the previous to the next frame (the tangent of the
 * track), or to/from the only neighbour at the ends. Null where frames do not move.
 */
export function computeTrackHeadings(track: GridPoint[]): (number | null)[] {
  return track.map((_, i) => {
    const before = track[Math.max(0, i - 1)];
    const after = track[Math.min(track.length - 1, i + 1)];
    return computeHeading(before, after) ?? computeHeading(track[i], after) ?? computeHeading(before, track[i]);
  });
}

/**
 * Where the corners and centre of a nadir frame fall on flat ground, as GCPs, for a camera at
 * `centre` (the ground point below it) `heightM` above ground, the top of the image facing
 * `headingDeg`. Enough for GDAL to warp the frame with a first-order polynomial.
 */
export function computeFrameGcps(centre: GridPoint, heightM: number, headingDeg: number, camera: FrameCamera): FrameGcp[] {
  const gsd = computeGroundSampleDistance(heightM, camera);
  const pp = camera.principalPointMm ?? { x: 0, y: 0 };
  // The camera looks straight down through the principal point.
  const ppPixel = camera.columns / 2 + pp.x / camera.pixelSizeMm;
  const ppLine = camera.rows / 2 - pp.y / camera.pixelSizeMm;
  const theta = (headingDeg * Math.PI) / 180;
  const [sin, cos] = [Math.sin(theta), Math.cos(theta)];
  const imagePoints: [number, number][] = [
    [0, 0],
    [camera.columns, 0],
    [camera.columns, camera.rows],
    [0, camera.rows],
    [camera.columns / 2, camera.rows / 2],
  ];
  return imagePoints.map(([pixel, line]) => {
    const right = (pixel - ppPixel) * gsd; // metres to the right of the track
    const ahead = (ppLine - line) * gsd; // metres along the heading
    return { pixel, line, x: centre.x + right * cos + ahead * sin, y: centre.y - right * sin + ahead * cos };
  });
}

/** EPSG code of the WGS 84 UTM zone holding a longitude/latitude (no Norway/Svalbard exceptions). */
export function findUtmEpsg(longitude: number, latitude: number): number {
  const zone = Math.min(60, Math.max(1, Math.floor((longitude + 180) / 6) + 1));
  return (latitude >= 0 ? 32600 : 32700) + zone;
}
