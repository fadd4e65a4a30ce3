import { taskModule, type GPServiceSpec } from '../jobs/gp-registry.js';
import { ENGINE_ANALYSIS_TASKS } from './analysis/engine-tasks.js';
import { addImage } from './add-image.js';
import { createImageCollection } from './create-image-collection.js';
import { deleteImage } from './delete-image.js';
import { deleteImageCollection } from './delete-image-collection.js';
import { calculateDistance } from './calculate-distance.js';
import { convertFeatureToRaster } from './convert-feature-to-raster.js';
import { convertRasterToFeature } from './convert-raster-to-feature.js';
import { copyRaster } from './copy-raster.js';
import { createViewshed } from './create-viewshed.js';
import { generateRaster } from './generate-raster.js';
import { interpolatePoints } from './interpolate-points.js';
import { summarizeRasterWithin } from './summarize-raster-within.js';
import { zonalStatisticsAsTable } from './zonal-statistics-as-table.js';

/**
 * The Raster Analysis tasks, by module and export name (job workers import them from there), each
 * with its definition imported statically (the server reads it without an import by URL, so the
 * server bundles). Add an import and one line per task, e.g.
 * `taskModule(new URL('./create-image-collection.ts', import.meta.url), 'createImageCollection', createImageCollection)`
 * with `taskModule` from '../jobs/gp-registry.js'.
 */
const RASTER_ANALYSIS_TASKS: GPServiceSpec['tasks'] = [
  taskModule(new URL('./add-image.ts', import.meta.url), 'addImage', addImage),
  taskModule(new URL('./create-image-collection.ts', import.meta.url), 'createImageCollection', createImageCollection),
  taskModule(new URL('./delete-image.ts', import.meta.url), 'deleteImage', deleteImage),
  taskModule(new URL('./delete-image-collection.ts', import.meta.url), 'deleteImageCollection', deleteImageCollection),
  ...ENGINE_ANALYSIS_TASKS,
  // Raster analysis part 1 (issue 12): GDAL-engine tasks, sharing src/tasks/analysis/.
  taskModule(new URL('./calculate-distance.ts', import.meta.url), 'calculateDistance', calculateDistance),
  taskModule(new URL('./convert-feature-to-raster.ts', import.meta.url), 'convertFeatureToRaster', convertFeatureToRaster),
  taskModule(new URL('./convert-raster-to-feature.ts', import.meta.url), 'convertRasterToFeature', convertRasterToFeature),
  taskModule(new URL('./copy-raster.ts', import.meta.url), 'copyRaster', copyRaster),
  taskModule(new URL('./create-viewshed.ts', import.meta.url), 'createViewshed', createViewshed),
  taskModule(new URL('./generate-raster.ts', import.meta.url), 'generateRaster', generateRaster),
  taskModule(new URL('./interpolate-points.ts', import.meta.url), 'interpolatePoints', interpolatePoints),
  taskModule(new URL('./summarize-raster-within.ts', import.meta.url), 'summarizeRasterWithin', summarizeRasterWithin),
  taskModule(new URL('./zonal-statistics-as-table.ts', import.meta.url), 'zonalStatisticsAsTable', zonalStatisticsAsTable),
];

/** The GP services every server offers; registered in the services catalog at start-up. */
export const GP_SERVICES: GPServiceSpec[] = [
  {
    folder: 'System',
    name: 'RasterAnalysisTools',
    description: 'Raster analysis tools: image collections and raster processing.',
    executionType: 'esriExecutionTypeAsynchronous',
    // As on ArcGIS Enterprise: only signed-in users allowed to perform raster analysis submit jobs.
    requiredPrivilege: 'premium:publisher:rasteranalysis',
    tasks: RASTER_ANALYSIS_TASKS,
  },
];
