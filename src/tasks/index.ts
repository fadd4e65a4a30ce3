import { taskModule, type GPServiceSpec } from '../jobs/gp-registry.js';
import { ENGINE_ANALYSIS_TASKS } from './analysis/engine-tasks.js';

/**
 * The Raster Analysis tasks, by module and export name (job workers import them from there).
 * Add one line per task, e.g.
 * `taskModule(new URL('./create-image-collection.ts', import.meta.url), 'createImageCollection')`
 * with `taskModule` from '../jobs/gp-registry.js'.
 */
const RASTER_ANALYSIS_TASKS: GPServiceSpec['tasks'] = [
  taskModule(new URL('./add-image.ts', import.meta.url), 'addImage'),
  taskModule(new URL('./create-image-collection.ts', import.meta.url), 'createImageCollection'),
  taskModule(new URL('./delete-image.ts', import.meta.url), 'deleteImage'),
  taskModule(new URL('./delete-image-collection.ts', import.meta.url), 'deleteImageCollection'),
  ...ENGINE_ANALYSIS_TASKS,
  // Raster analysis part 1 (issue 12): GDAL-engine tasks, sharing src/tasks/analysis/.
  taskModule(new URL('./calculate-distance.ts', import.meta.url), 'calculateDistance'),
  taskModule(new URL('./convert-feature-to-raster.ts', import.meta.url), 'convertFeatureToRaster'),
  taskModule(new URL('./convert-raster-to-feature.ts', import.meta.url), 'convertRasterToFeature'),
  taskModule(new URL('./copy-raster.ts', import.meta.url), 'copyRaster'),
  taskModule(new URL('./create-viewshed.ts', import.meta.url), 'createViewshed'),
  taskModule(new URL('./generate-raster.ts', import.meta.url), 'generateRaster'),
  taskModule(new URL('./interpolate-points.ts', import.meta.url), 'interpolatePoints'),
  taskModule(new URL('./summarize-raster-within.ts', import.meta.url), 'summarizeRasterWithin'),
  taskModule(new URL('./zonal-statistics-as-table.ts', import.meta.url), 'zonalStatisticsAsTable'),
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
