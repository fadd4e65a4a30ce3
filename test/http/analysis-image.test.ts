import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import gdal from 'gdal-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogStoreFor } from '../../src/imagery/store/open-catalog-store.js';
import { segmentLabels } from '../../src/tasks/analysis/image/segment-majority.js';
import { meanShiftArgs } from '../../src/tasks/analysis/segment.js';
import { fetchStarsFile } from '../fixtures/raster/fetch-stars-file.js';
import type { TestServer } from '../helpers/test-server.js';
import { analysisResults, type AnalysisServer, readOutputRows, readRows, startAnalysisServer } from '../helpers/analysis-server.js';

let env: AnalysisServer;
let server: TestServer;
let share: string;
let token: string;
let landsat: string | null = null;
let segmentsPath: string | undefined;

beforeAll(async () => {
  const fetched = await fetchStarsFile('L7_ETMs.tif');
  if (!fetched.path) return;
  env = await startAnalysisServer('olinda');
  ({ server, token, share } = env);
  landsat = path.join(share, 'L7_ETMs.tif');
  copyFileSync(fetched.path, landsat);
}, 180_000);

afterAll(async () => env?.close());

describe('image analysis on the Olinda Landsat 7 scene, over HTTP with arcgis-rest-js Job', () => {
  it('Segment paints the segments OTB LargeScaleMeanShift finds, run directly, with their mean colours', async (t) => {
    if (!landsat) return t.skip();
    const inputs = { spectralDetail: 15.5, spatialDetail: 15, minimumSegmentSizeInPixels: 20, bandIndexes: '3,2,1' };
    const results = await analysisResults(server, token, 'Segment', { inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' }, outputName: 'segments', ...inputs });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/segments/ImageServer`);
    // The engine alone on the same bands and settings.
    const vrt = path.join(share, 'bands.vrt');
    execFileSync('gdal_translate', ['-q', '-of', 'VRT', '-b', '4', '-b', '3', '-b', '2', landsat, vrt]);
    const labelsFile = path.join(share, 'labels.tif');
    execFileSync('otbcli_LargeScaleMeanShift', ['-in', vrt, ...meanShiftArgs(inputs), '-mode', 'raster', '-mode.raster.out', labelsFile, 'uint32', '-cleanup', '1'], { stdio: 'ignore' });
    const labels = readRows(labelsFile).flat();
    const red = readRows(vrt).flat();
    const painted = (await readOutputRows(server, 'segments')).flat();
    expect(painted.length).toBe(349 * 352);
    // Every OTB segment is one colour, its pixels' mean.
    const sums = new Map<number, { sum: number; n: number; colour: number | null }>();
    labels.forEach((label, i) => {
      const entry = sums.get(label!) ?? { sum: 0, n: 0, colour: painted[i]! };
      entry.sum += red[i]!;
      entry.n++;
      expect(painted[i]).toBe(entry.colour);
      sums.set(label!, entry);
    });
    expect(sums.size).toBeGreaterThan(50);
    for (const { sum, n, colour } of sums.values()) expect(Math.abs(colour! - sum / n)).toBeLessThanOrEqual(0.5 + 1e-9);
    const catalog = catalogStoreFor(server.context.config);
    segmentsPath = (await catalog.queryItems((await catalog.getCollection('segments'))!.id, {}))[0]!.path;
  }, 180_000);
});

/** Square polygons (3×3 pixels) around the pixels of band 4 (NIR) lowest and highest: water and vegetation. */
function trainingSamples(file: string): { featureSet: Record<string, unknown>; wkt: string } {
  const rows = readRows(file, 4);
  const cells = rows.flatMap((row, r) => row.map((v, c) => ({ v: v!, r, c }))).filter(({ r, c }) => r > 2 && c > 2 && r < 348 && c < 345);
  cells.sort((a, b) => a.v - b.v);
  const pick = (list: typeof cells) => {
    const chosen: typeof cells = [];
    for (const cell of list) if (chosen.length < 6 && chosen.every((o) => Math.abs(o.r - cell.r) + Math.abs(o.c - cell.c) > 20)) chosen.push(cell);
    return chosen;
  };
  const geo = [288776.25000080315, 28.49999999927454, 9120760.750028737];
  const square = ({ r, c }: { r: number; c: number }) => {
    const [x0, s, y0] = geo as [number, number, number];
    const xmin = x0 + (c - 1) * s;
    const xmax = x0 + (c + 2) * s;
    const ymax = y0 - (r - 1) * s;
    const ymin = y0 - (r + 2) * s;
    return { rings: [[[xmin, ymax], [xmax, ymax], [xmax, ymin], [xmin, ymin], [xmin, ymax]]] };
  };
  const features = [
    ...pick(cells).map((cell, i) => ({ geometry: square(cell), attributes: { OBJECTID: i + 1, classvalue: 1, classname: 'Water', red: 0, green: 0, blue: 255 } })),
    ...pick([...cells].reverse()).map((cell, i) => ({ geometry: square(cell), attributes: { OBJECTID: 100 + i, classvalue: 2, classname: 'Vegetation', red: 0, green: 160, blue: 0 } })),
  ];
  return { featureSet: { geometryType: 'esriGeometryPolygon', spatialReference: { wkid: 31985 }, features }, wkt: '' };
}

describe('TrainClassifier and Classify on the Olinda Landsat 7 scene', () => {
  it('trains random trees on labelled polygons and classifies as OTB does run directly, with class colours and names', async (t) => {
    if (!landsat) return t.skip();
    const { featureSet } = trainingSamples(landsat);
    const trained = await analysisResults(server, token, 'TrainClassifier', {
      inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' },
      inputTrainingSampleJSON: featureSet,
      classifierParameters: { method: 'rt', params: { maxNumTrees: 20, maxTreeDepth: 10 } },
    });
    expect(trained.outputClassifierDefinition.dataType).toBe('GPString');
    const definition = JSON.parse(trained.outputClassifierDefinition.value as unknown as string) as { classes: unknown[]; model: string };
    expect(definition).toMatchObject({ engine: 'OrfeoToolBox', method: 'RT', otbClassifier: 'rf', bandCount: 6 });
    expect(definition.classes).toEqual([
      { value: 1, name: 'Water', color: [0, 0, 255] },
      { value: 2, name: 'Vegetation', color: [0, 160, 0] },
    ]);
    const results = await analysisResults(server, token, 'Classify', {
      inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' },
      inputClassifierDefinition: trained.outputClassifierDefinition.value,
      outputName: 'landcover',
    });
    expect(results.outputRaster.value.url).toBe(`${server.url}/rest/services/Hosted/landcover/ImageServer`);
    const classified = (await readOutputRows(server, 'landcover')).flat();
    // The engine alone, applying the same model to the same scene.
    const model = path.join(share, 'model.txt');
    writeFileSync(model, definition.model);
    const direct = path.join(share, 'direct-classified.tif');
    execFileSync('otbcli_ImageClassifier', ['-in', landsat, '-model', model, '-out', direct, 'uint8'], { stdio: 'ignore' });
    expect(classified).toEqual(readRows(direct).flat().map((v) => (v === 0 ? null : v)));
    const counts = [1, 2].map((v) => classified.filter((x) => x === v).length);
    expect(counts[0]).toBeGreaterThan(100);
    expect(counts[1]).toBeGreaterThan(100);
    const catalog = catalogStoreFor(server.context.config);
    const [row] = await catalog.queryItems((await catalog.getCollection('landcover'))!.id, {});
    const dataset = gdal.open(row!.path);
    const band = dataset.bands.get(1);
    expect(band.colorTable?.get(1)).toMatchObject({ c1: 0, c2: 0, c3: 255 });
    dataset.close();
    const item = await server.context.stores.items.get(results.outputRaster.value.itemId);
    expect(item?.description).toContain('1 Water, 2 Vegetation');
  }, 240_000);

  it('reads samples whose spatial reference is a `wkt` as OGR does: the model OTB trains, run directly, on OGR\'s reading of the set', async (t) => {
    if (!landsat) return t.skip();
    const esri = gdal.SpatialReference.fromEPSG(31985);
    esri.morphToESRI();
    // What a GeoTIFF's own WKT can be: UTM 25S on an unnamed GRS80 datum, which PROJ matches with nothing.
    const unnamed = gdal.SpatialReference.fromProj4('+proj=utm +zone=25 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs').toWKT();
    const raster = gdal.open(landsat);
    const rasterWkt = raster.srs!.toWKT();
    raster.close();
    for (const [name, wkt] of [['esri', esri.toWKT()], ['unnamed', unnamed]] as const) {
      const featureSet = { ...trainingSamples(landsat).featureSet, spatialReference: { wkt } };
      const trained = await analysisResults(server, token, 'TrainClassifier', {
        inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' },
        inputTrainingSampleJSON: featureSet,
        classifierParameters: { method: 'rt', params: { maxNumTrees: 20, maxTreeDepth: 10 } },
      });
      const { model } = JSON.parse(trained.outputClassifierDefinition.value as unknown as string) as { model: string };
      // Before: OGR read the set with its `wkt` and the polygons went to the raster's SRS from there.
      const json = path.join(share, `samples-${name}.json`);
      const fields = ['OBJECTID', 'classvalue', 'red', 'green', 'blue'].map((f) => ({ name: f, type: 'esriFieldTypeInteger' }));
      writeFileSync(json, JSON.stringify({ ...featureSet, fields: [...fields, { name: 'classname', type: 'esriFieldTypeString' }] }));
      const gpkg = path.join(share, `samples-${name}.gpkg`);
      const source = gdal.open(json);
      gdal.vectorTranslate(gpkg, source, ['-f', 'GPKG', '-t_srs', rasterWkt, '-nln', 'samples']).close();
      source.close();
      const direct = path.join(share, `model-${name}.txt`);
      const args = ['-io.il', landsat, '-io.vd', gpkg, '-sample.vfn', 'classvalue', '-sample.mt', '1000', '-sample.vtr', '0.3', '-classifier', 'rf'];
      execFileSync('otbcli_TrainImagesClassifier', [...args, '-classifier.rf.nbtrees', '20', '-classifier.rf.max', '10', '-classifier.rf.min', '1', '-rand', '1', '-io.out', direct], { stdio: 'ignore' });
      expect(model).toBe(readFileSync(direct, 'utf8'));
    }
  }, 240_000);

  it.each([
    ['svm', 'SVM', 'libsvm'],
    ['mlc', 'MLC', 'bayes'],
  ])('trains %s as %s (OTB %s)', async (method, name, otb) => {
    if (!landsat) return; // r-cran-stars not reachable: nothing to train on
    const trained = await analysisResults(server, token, 'TrainClassifier', {
      inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' },
      inputTrainingSampleJSON: trainingSamples(landsat).featureSet,
      classifierParameters: { method },
    });
    const definition = JSON.parse(trained.outputClassifierDefinition.value as unknown as string) as { classes: unknown[]; model: string };
    expect(definition).toMatchObject({ method: name, otbClassifier: otb });
    expect(definition.model.length).toBeGreaterThan(100);
  }, 120_000);
});

describe('object-based TrainClassifier and Classify: one sample per segment of the Segment result', () => {
  it('trains on the segments the polygons cover and classifies whole segments, as OTB ZonalStatistics + VectorClassifier run directly', async (t) => {
    if (!landsat) return t.skip();
    // The Segment test above published 'segments' (mean colours of bands 4, 3, 2).
    const segmentedRaster = { url: `${server.url}/rest/services/Hosted/segments/ImageServer` };
    const trained = await analysisResults(server, token, 'TrainClassifier', {
      inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' },
      inputTrainingSampleJSON: trainingSamples(landsat).featureSet,
      segmentedRaster,
      segmentAttributes: 'COLOR;MEAN;STD',
      classifierParameters: { method: 'rt', params: { maxNumTrees: 20, maxTreeDepth: 10 } },
    });
    const definition = JSON.parse(trained.outputClassifierDefinition.value as unknown as string) as { model: string };
    const fields = [0, 1, 2, 3, 4, 5].map((b) => `mean_${b}`).concat([0, 1, 2, 3, 4, 5].map((b) => `stdev_${b}`));
    expect(definition).toMatchObject({ engine: 'OrfeoToolBox', method: 'RT', bandCount: 6, segmentFeatures: fields });
    await analysisResults(server, token, 'Classify', { inputRaster: { uri: '/fileShares/olinda/L7_ETMs.tif' }, inputClassifierDefinition: trained.outputClassifierDefinition.value, additionalInputRaster: segmentedRaster, outputName: 'landcover_segments' });
    const classified = (await readOutputRows(server, 'landcover_segments')).flat();
    // The engine alone: the segments as labels, their statistics, the same model.
    const painted = [1, 2, 3].map((b) => Float64Array.from(readRows(segmentedFile(), b).flat() as number[]));
    const { labels, count } = segmentLabels(painted, 349, 352);
    const labelFile = path.join(share, 'direct-labels.tif');
    const source = gdal.open(landsat);
    const out = gdal.drivers.get('GTiff').create(labelFile, 349, 352, 1, 'Int32');
    out.geoTransform = source.geoTransform;
    out.srs = source.srs;
    out.bands.get(1).pixels.write(0, 0, 349, 352, labels);
    out.close();
    source.close();
    const stats = path.join(share, 'direct-stats.shp');
    execFileSync('otbcli_ZonalStatistics', ['-in', landsat, '-inzone', 'labelimage', '-inzone.labelimage.in', labelFile, '-out.vector.filename', stats], { stdio: 'ignore' });
    const model = path.join(share, 'segment-model.txt');
    writeFileSync(model, definition.model);
    const predicted = path.join(share, 'direct-predicted.shp');
    execFileSync('otbcli_VectorClassifier', ['-in', stats, '-model', model, '-feat', ...fields, '-cfield', 'predicted', '-out', predicted], { stdio: 'ignore' });
    const classOf = new Map<number, number>();
    const dataset = gdal.open(predicted);
    for (const feature of dataset.layers.get(0).features) classOf.set(feature.fields.get('polygon_id') as number, feature.fields.get('predicted') as number);
    dataset.close();
    expect(classOf.size).toBe(count);
    expect(classified).toEqual([...labels].map((label) => classOf.get(label)));
    // Whole segments, both classes present.
    const perSegment = new Map<number, Set<number | null>>();
    labels.forEach((label, i) => perSegment.set(label, (perSegment.get(label) ?? new Set()).add(classified[i]!)));
    for (const set of perSegment.values()) expect(set.size).toBe(1);
    for (const v of [1, 2]) expect(classified.filter((x) => x === v).length).toBeGreaterThan(100);
  }, 240_000);
});

/** The raster behind the hosted 'segments' layer. */
function segmentedFile(): string {
  return segmentsPath!;
}
