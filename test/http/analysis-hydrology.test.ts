import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRaster } from '../fixtures/raster/write-raster.js';
import type { TestServer } from '../helpers/test-server.js';
import { analysisResults, type AnalysisServer, readOutputRows, readRows, startAnalysisServer, submitAnalysisJob } from '../helpers/analysis-server.js';

// A 6×6 valley draining south along column 2, 10 m cells: z = 10 + (5 − row) + 3·|col − 2|.
// Sideways drops (3 m over 10 m) beat diagonal (4 m over 14.1 m) and downstream (1 m over 10 m),
// so columns 0–1 flow east, 3–5 west, and column 2 south; the outlet at the bottom flows out.
const z = (col: number, row: number) => 10 + (5 - row) + 3 * Math.abs(col - 2);
const GEO = [500000, 10, 0, 4000060, 0, -10];
const SRS = 'EPSG:32611';
const center = (col: number, row: number) => ({ x: 500005 + 10 * col, y: 4000055 - 10 * row });

const EXPECTED_DIRECTIONS = Array.from({ length: 6 }, () => [1, 1, 4, 16, 16, 16]);
// Cells flowing in, the cell itself not counted: the outlet gathers the other 35.
const EXPECTED_ACCUMULATION = [5, 11, 17, 23, 29, 35].map((valley) => [0, 1, valley, 2, 1, 0]);

let env: AnalysisServer;
let server: TestServer;
let share: string;
let token: string;
const uri = (file: string) => ({ uri: `/fileShares/hydro/${file}` });

beforeAll(async () => {
  env = await startAnalysisServer('hydro');
  ({ server, token, share } = env);
  const spec = { width: 6, height: 6, srs: SRS, geoTransform: GEO, dataType: 'Float32' as const };
  await writeRaster(path.join(share, 'dem6.tif'), { ...spec, value: z });
  await writeRaster(path.join(share, 'pit6.tif'), { ...spec, value: (c, r) => (c === 2 && r === 3 ? 9 : z(c, r)) });
  // Streams: the valley (column 2) and the cells just east of it (column 3); 0 = no stream.
  await writeRaster(path.join(share, 'streams6.tif'), { ...spec, dataType: 'Byte', value: (c) => (c === 2 || c === 3 ? 1 : 0) });
  await writeRaster(path.join(share, 'valley6.tif'), { ...spec, dataType: 'Byte', value: (c) => (c === 2 ? 1 : 0) });
  await writeRaster(path.join(share, 'mask6.tif'), { ...spec, dataType: 'Byte', noData: 0, value: (c) => (c === 0 ? 0 : 1) });
}, 60_000);

afterAll(async () => env?.close());

describe('hydrology tasks on a hand-checked 6×6 DEM, over HTTP with arcgis-rest-js Job', () => {
  it('FlowDirection writes Esri D8 codes and the percent drop', async () => {
    const results = await analysisResults(server, token, 'FlowDirection', { inputSurfaceRaster: uri('dem6.tif'), outputFlowDirectionName: 'fd6', outputDropName: 'drop6' });
    expect(results.outputFlowDirectionRaster).toMatchObject({ paramName: 'outputFlowDirectionRaster', dataType: 'GPString', value: { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` } });
    expect(results.outputFlowDirectionRaster.value.itemId).toMatch(/^[0-9a-f]{32}$/);
    expect(await readOutputRows(server, 'fd6')).toEqual(EXPECTED_DIRECTIONS);
    const drops = await readOutputRows(server, 'drop6');
    expect(drops[0]![0]).toBeCloseTo(30, 4); // 3 m over 10 m
    expect(drops[2]![2]).toBeCloseTo(10, 4); // 1 m over 10 m down the valley
    expect(drops[5]![2]).toBe(0); // the outlet flows off the raster
  });

  it('agrees with GRASS r.watershed run directly on the inner cells (its edge cells differ by design)', () => {
    const grassToEsri: Record<number, number> = { 1: 128, 2: 64, 3: 32, 4: 16, 5: 8, 6: 4, 7: 2, 8: 1 };
    const out = path.join(share, 'grass-drain.tif');
    const script = `r.in.gdal input=${path.join(share, 'dem6.tif')} output=dem --quiet && g.region raster=dem && r.watershed -s elevation=dem drainage=drain --quiet && r.out.gdal input=drain output=${out} type=Int16 --quiet`;
    execFileSync('grass', ['--tmp-location', SRS, '--exec', 'bash', '-c', script], { stdio: 'ignore', env: { ...process.env, TMPDIR: share } });
    const grass = readRows(out);
    for (let r = 1; r < 5; r++) for (let c = 1; c < 5; c++) expect(grassToEsri[Math.abs(grass[r]![c]!)]).toBe(EXPECTED_DIRECTIONS[r]![c]);
  }, 30_000);

  it('FlowAccumulation counts the cells flowing in, from the FlowDirection layer by URL', async () => {
    const results = await analysisResults(server, token, 'FlowAccumulation', {
      inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` },
      outputName: { serviceProperties: { name: 'acc6' } },
      dataType: 'INTEGER',
    });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/acc6/ImageServer`);
    expect(await readOutputRows(server, 'acc6')).toEqual(EXPECTED_ACCUMULATION);
  });

  it('FlowAccumulation sums a weight raster', async () => {
    await analysisResults(server, token, 'FlowAccumulation', { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` }, inputWeightRaster: uri('streams6.tif'), outputName: 'wacc6' });
    const rows = await readOutputRows(server, 'wacc6');
    // Weights are 1 in columns 2–3 only: the valley gathers (0,2)'s and each row's column 3.
    expect(rows[0]).toEqual([0, 0, 1, 0, 0, 0]);
    expect(rows[5]![2]).toBe(11);
  });

  it('StreamLink numbers the stretches between junctions', async () => {
    await analysisResults(server, token, 'StreamLink', { inputStreamRaster: uri('streams6.tif'), inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` }, outputName: 'links6' });
    const n = null;
    // (0,3)→(0,2) is one stretch; every later valley cell is a junction (column 3 joins it).
    expect(await readOutputRows(server, 'links6')).toEqual([
      [n, n, 1, 1, n, n],
      [n, n, 2, 3, n, n],
      [n, n, 4, 5, n, n],
      [n, n, 6, 7, n, n],
      [n, n, 8, 9, n, n],
      [n, n, 10, 11, n, n],
    ]);
  });

  it('Watershed labels the area above pour point features with their field values', async () => {
    const pourPoints = {
      geometryType: 'esriGeometryPoint',
      spatialReference: { wkid: 32611 },
      features: [
        { geometry: center(2, 2), attributes: { OBJECTID: 1, gauge: 7 } },
        { geometry: center(2, 5), attributes: { OBJECTID: 2, gauge: 9 } },
      ],
    };
    await analysisResults(server, token, 'Watershed', { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` }, inPourPointRasterOrFeatures: pourPoints, pourPointField: 'gauge', outputName: 'ws6' });
    expect(await readOutputRows(server, 'ws6')).toEqual([7, 7, 7, 9, 9, 9].map((v) => Array<number>(6).fill(v)));
  });

  it('Watershed snaps a pour point to the highest accumulation within snapDistance, as Snap Pour Point', async () => {
    const pourPoints = { geometryType: 'esriGeometryPoint', spatialReference: { wkid: 32611 }, features: [{ geometry: center(0, 4), attributes: { OBJECTID: 4 } }] };
    const fd = { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` };
    // Unsnapped, the point sits on a ridge cell nothing flows into: its watershed is itself.
    await analysisResults(server, token, 'Watershed', { inputFlowDirectionRaster: fd, inPourPointRasterOrFeatures: pourPoints, outputName: 'ws_unsnapped' });
    expect((await readOutputRows(server, 'ws_unsnapped')).flat().filter((v) => v !== null)).toEqual([4]);
    // Within 25 m: the valley cells of rows 3–5 (23, 29, 35 cells upstream); the outlet (2, 5) wins: the whole grid.
    await analysisResults(server, token, 'Watershed', { inputFlowDirectionRaster: fd, inPourPointRasterOrFeatures: pourPoints, snapDistance: 25, outputName: 'ws_snapped' });
    expect(await readOutputRows(server, 'ws_snapped')).toEqual(Array.from({ length: 6 }, () => Array<number>(6).fill(4)));
  });

  it('honours context: extent and cellSize choose the grid, mask blanks cells outside it', async () => {
    const context = { extent: { xmin: 500000, ymin: 4000020, xmax: 500040, ymax: 4000060, spatialReference: { wkid: 32611 } }, cellSize: 10, mask: uri('mask6.tif') };
    await analysisResults(server, token, 'FlowDirection', { inputSurfaceRaster: uri('dem6.tif'), outputFlowDirectionName: 'fd_context', context });
    const rows = await readOutputRows(server, 'fd_context');
    // 4×4 cells: the top-left of the DEM; the mask is NoData in column 0.
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveLength(4);
    expect(rows[1]).toEqual([null, 1, 4, 16]);
  });

  it('FlowDistance measures down to the valley, horizontally and vertically', async () => {
    await analysisResults(server, token, 'FlowDistance', { inputStreamRaster: uri('valley6.tif'), inputSurfaceRaster: uri('dem6.tif'), outputName: 'fdh6', distanceType: 'HORIZONTAL' });
    expect(await readOutputRows(server, 'fdh6')).toEqual(Array.from({ length: 6 }, () => [20, 10, 0, 10, 20, 30]));
    await analysisResults(server, token, 'FlowDistance', { inputStreamRaster: uri('valley6.tif'), inputSurfaceRaster: uri('dem6.tif'), inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` }, outputName: 'fdv6' });
    expect(await readOutputRows(server, 'fdv6')).toEqual(Array.from({ length: 6 }, () => [6, 3, 0, 3, 6, 9]));
  });

  it('FlowDirection DINF writes Tarboton angles (counter-clockwise from east) as SAGA computes them inside the grid', async () => {
    const side = (Math.atan(1 / 3) * 180) / Math.PI; // 18.43°: 1 m down-valley for 3 m sideways
    const results = await analysisResults(server, token, 'FlowDirection', { inputSurfaceRaster: uri('dem6.tif'), outputFlowDirectionName: 'dinf6', outputDropName: 'dinfdrop6', flowDirectionType: 'DINF' });
    expect(results.outputFlowDirectionRaster.value.url).toBe(`${server.url}/rest/services/Hosted/dinf6/ImageServer`);
    const angles = await readOutputRows(server, 'dinf6');
    const expected = Array.from({ length: 6 }, (_, r) => (r < 5 ? [360 - side, 360 - side, 270, 180 + side, 180 + side, 180 + side] : [0, 0, 270, 180, 180, 180]));
    angles.forEach((row, r) => row.forEach((a, c) => expect(a).toBeCloseTo(expected[r]![c]!, 4)));
    // SAGA's "maximum triangle slope (Tarboton 1997)" run directly: aspect clockwise from north.
    const aspect = path.join(share, 'saga-aspect.tif');
    execFileSync('saga_cmd', ['ta_morphometry', '0', '-ELEVATION', path.join(share, 'dem6.tif'), '-SLOPE', path.join(share, 'saga-slope.tif'), '-ASPECT', aspect, '-METHOD', '1', '-UNIT_ASPECT', '1'], { stdio: 'ignore' });
    const direct = readRows(aspect);
    for (let r = 1; r < 5; r++) for (let c = 1; c < 5; c++) expect(angles[r]![c]).toBeCloseTo((((90 - direct[r]![c]!) % 360) + 360) % 360, 4);
    const drops = await readOutputRows(server, 'dinfdrop6');
    expect(drops[2]![0]).toBeCloseTo(100 * Math.hypot(0.3, 0.1), 3);
    expect(drops[5]![2]).toBe(0);
  }, 90_000);

  it('FlowAccumulation splits D-infinity flow between the two neighbours of each angle (the raster says it holds angles)', async () => {
    const east = (45 - (Math.atan(1 / 3) * 180) / Math.PI) / 45; // share of a west-slope cell going east
    await analysisResults(server, token, 'FlowAccumulation', { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/dinf6/ImageServer` }, outputName: 'dinfacc6' });
    const acc = await readOutputRows(server, 'dinfacc6');
    expect(acc[0]![0]).toBe(0);
    expect(acc[0]![1]).toBeCloseTo(east, 4);
    expect(acc[2]![1]).toBeCloseTo(1, 4); // (2,0)'s east share plus (1,0)'s south-east share
    expect(acc[5]![2]).toBeCloseTo(35, 3); // nothing leaves before the outlet
    // Angles are no MFD raster: the job says what the raster is.
    const job = await submitAnalysisJob(server, token, 'FlowAccumulation', { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/dinf6/ImageServer` }, outputName: 'dinf_as_mfd', flowDirectionType: 'MFD' });
    await expect(job.waitForCompletion()).rejects.toThrow();
    expect(JSON.stringify((await job.getJobInfo()).messages)).toContain('set flowDirectionType to DINF');
  }, 90_000);

  it('FlowDirection MFD shows D8 codes and carries the surface; FlowAccumulation MFD is SAGA\'s Qin et al. MFD run directly, less the cell itself', async () => {
    await analysisResults(server, token, 'FlowDirection', { inputSurfaceRaster: uri('dem6.tif'), outputFlowDirectionName: 'mfd6', flowDirectionType: 'MFD' });
    expect(await readOutputRows(server, 'mfd6')).toEqual(EXPECTED_DIRECTIONS);
    await analysisResults(server, token, 'FlowAccumulation', { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/mfd6/ImageServer` }, outputName: 'mfdacc6', flowDirectionType: 'MFD' });
    const acc = await readOutputRows(server, 'mfdacc6');
    const direct = path.join(share, 'saga-mfd.tif');
    execFileSync('saga_cmd', ['ta_hydrology', '0', '-ELEVATION', path.join(share, 'dem6.tif'), '-FLOW', direct, '-METHOD', '6', '-FLOW_UNIT', '0'], { stdio: 'ignore' });
    readRows(direct).forEach((row, r) => row.forEach((v, c) => expect(acc[r]![c]).toBeCloseTo(v! - 1, 4)));
    expect(acc[0]![0]).toBe(0); // a ridge corner: nothing flows in
    // Flow spreads: side cells get some of their neighbours' flow, the valley gathers most of it.
    expect(acc[2]![1]).toBeGreaterThan(0.9);
    for (let r = 1; r < 6; r++) expect(acc[r]![2]).toBeGreaterThan(acc[r - 1]![2]! + 2);
    // A D8 raster has no surface to split MFD flow over.
    const job = await submitAnalysisJob(server, token, 'FlowAccumulation', { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/fd6/ImageServer` }, outputName: 'd8_as_mfd', flowDirectionType: 'MFD' });
    await expect(job.waitForCompletion()).rejects.toThrow();
    expect(JSON.stringify((await job.getJobInfo()).messages)).toContain('set flowDirectionType to D8');
  }, 90_000);

  it('FlowDistance follows DINF and MFD rasters as what they are tagged; statisticsType picks among the paths', async () => {
    const hosted = (name: string) => ({ url: `${server.url}/rest/services/Hosted/${name}/ImageServer` });
    const common = { inputStreamRaster: uri('valley6.tif'), inputSurfaceRaster: uri('dem6.tif') };
    const run = async (name: string, params: Record<string, unknown>) => {
      await analysisResults(server, token, 'FlowDistance', { ...common, ...params, outputName: name });
      return readOutputRows(server, name);
    };
    // DINF: a side cell next to the valley sends 59 % east (10 m, 3 m down) and 41 % south-east
    // into the valley (14.1 m, 4 m down); the bottom row flows straight into it.
    const east = (45 - (Math.atan(1 / 3) * 180) / Math.PI) / 45;
    const diagonal = 10 * Math.SQRT2;
    const dinfMin = await run('fd_dinf_min', { inputFlowDirectionRaster: hosted('dinf6'), distanceType: 'HORIZONTAL' });
    const dinfMax = await run('fd_dinf_max', { inputFlowDirectionRaster: hosted('dinf6'), flowDirectionType: 'DINF', distanceType: 'HORIZONTAL', statisticsType: 'MAXIMUM' });
    const dinfMean = await run('fd_dinf_mean', { inputFlowDirectionRaster: hosted('dinf6'), distanceType: 'VERTICAL', statisticsType: 'WEIGHTED_MEAN' });
    for (let r = 0; r < 5; r++) {
      for (const c of [1, 3]) {
        expect(dinfMin[r]![c]).toBeCloseTo(10, 4);
        expect(dinfMax[r]![c]).toBeCloseTo(diagonal, 4);
        expect(dinfMean[r]![c]).toBeCloseTo(east * 3 + (1 - east) * 4, 4);
      }
      expect(dinfMin[r]![2]).toBe(0);
      expect(dinfMin[r]![0]).toBeCloseTo(20, 4);
    }
    expect(dinfMax[5]![1]).toBeCloseTo(10, 4);
    // MFD: column 1 drains east, south-east, north-east and south. The shortest path is 10 m
    // east; the longest runs south down column 1 to the bottom row, then north-east (14.1 m).
    // Vertically the nearest is 2 m (north-east, one row up the valley); the farthest, the outlet.
    const mfdMin = await run('fd_mfd_min', { inputFlowDirectionRaster: hosted('mfd6'), distanceType: 'HORIZONTAL' });
    expect(mfdMin).toEqual(Array.from({ length: 6 }, () => [20, 10, 0, 10, 20, 30]).map((row) => row.map((v) => expect.closeTo(v, 4) as number)));
    const mfdMax = await run('fd_mfd_max', { inputFlowDirectionRaster: hosted('mfd6'), flowDirectionType: 'MFD', distanceType: 'HORIZONTAL', statisticsType: 'MAXIMUM' });
    for (let r = 0; r < 6; r++) expect(mfdMax[r]![1]).toBeCloseTo(10 * (5 - r) + diagonal, 4);
    const vMin = await run('fd_mfd_vmin', { inputFlowDirectionRaster: hosted('mfd6'), statisticsType: 'MINIMUM' });
    const vMax = await run('fd_mfd_vmax', { inputFlowDirectionRaster: hosted('mfd6'), statisticsType: 'MAXIMUM' });
    const vMean = await run('fd_mfd_vmean', { inputFlowDirectionRaster: hosted('mfd6'), statisticsType: 'WEIGHTED_MEAN' });
    expect(vMin.map((row) => row[1])).toEqual([3, 2, 2, 2, 2, 2].map((v) => expect.closeTo(v, 4) as number));
    expect(vMax.map((row) => row[1])).toEqual([8, 7, 6, 5, 4, 3].map((v) => expect.closeTo(v, 4) as number));
    for (let r = 0; r < 6; r++) {
      expect(vMean[r]![1]).toBeGreaterThan(vMin[r]![1]!);
      expect(vMean[r]![1]).toBeLessThan(vMax[r]![1]!);
    }
    // Angles read as MFD, or a D8 raster read as DINF: the job says what the raster is.
    const job = await submitAnalysisJob(server, token, 'FlowDistance', { ...common, inputFlowDirectionRaster: hosted('fd6'), flowDirectionType: 'DINF', outputName: 'fd_d8_as_dinf' });
    await expect(job.waitForCompletion()).rejects.toThrow();
    expect(JSON.stringify((await job.getJobInfo()).messages)).toContain('set flowDirectionType to D8');
  }, 180_000);

  it('Watershed, as ArcGIS, takes D8 directions only: a DINF or MFD raster is refused by name', async () => {
    const pourPoints = { geometryType: 'esriGeometryPoint', spatialReference: { wkid: 32611 }, features: [{ geometry: center(2, 5), attributes: { OBJECTID: 1 } }] };
    for (const type of ['dinf6', 'mfd6']) {
      const job = await submitAnalysisJob(server, token, 'Watershed', { inputFlowDirectionRaster: { url: `${server.url}/rest/services/Hosted/${type}/ImageServer` }, inPourPointRasterOrFeatures: pourPoints, outputName: `ws_${type}` });
      await expect(job.waitForCompletion()).rejects.toThrow();
      expect(JSON.stringify((await job.getJobInfo()).messages)).toContain(`is a ${type === 'dinf6' ? 'DINF' : 'MFD'} flow direction raster`);
    }
  }, 90_000);

  it('Fill raises the pit to its pour point, as SAGA does run directly; zLimit leaves deeper sinks', async () => {
    await analysisResults(server, token, 'Fill', { inputSurfaceRaster: uri('pit6.tif'), outputName: 'filled6' });
    const filled = await readOutputRows(server, 'filled6');
    const expected = Array.from({ length: 6 }, (_, r) => Array.from({ length: 6 }, (_, c) => (c === 2 && r === 3 ? 11 : z(c, r))));
    expect(filled).toEqual(expected);
    const direct = path.join(share, 'saga-filled.tif');
    execFileSync('saga_cmd', ['ta_preprocessor', '4', '-ELEV', path.join(share, 'pit6.tif'), '-FILLED', direct, '-MINSLOPE', '0'], { stdio: 'ignore' });
    expect(filled).toEqual(readRows(direct));
    await analysisResults(server, token, 'Fill', { inputSurfaceRaster: uri('pit6.tif'), outputName: 'limited6', zLimit: 1 });
    expect((await readOutputRows(server, 'limited6'))[3]![2]).toBe(9);
  }, 90_000);
});
