import { tasksBeside, type GPServiceSpec } from '../jobs/gp-registry.js';
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
 * The Raster Analysis tasks, each imported statically (the server reads its definition without
 * an import by URL, so the server bundles) and listed once: job workers import it by the module
 * and export name tasksBeside derives from that name (`addImage` from ./add-image.ts).
 */
const RASTER_ANALYSIS_TASKS: GPServiceSpec['tasks'] = [
  ...tasksBeside(import.meta.url, { addImage, createImageCollection, deleteImage, deleteImageCollection }),
  ...ENGINE_ANALYSIS_TASKS,
  // Raster analysis part 1 (issue 12): GDAL-engine tasks, sharing src/tasks/analysis/.
  ...tasksBeside(import.meta.url, {
    calculateDistance,
    convertFeatureToRaster,
    convertRasterToFeature,
    copyRaster,
    createViewshed,
    generateRaster,
    interpolatePoints,
    summarizeRasterWithin,
    zonalStatisticsAsTable,
  }),
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
