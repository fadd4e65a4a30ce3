import { taskModule, type TaskModuleRef } from '../../jobs/gp-registry.js';

/**
 * The Raster Analysis tasks run on GRASS, SAGA and Orfeo ToolBox (hydrology, density, travel
 * cost, image analysis), kept in one list so src/tasks/index.ts changes by one line.
 */
export const ENGINE_ANALYSIS_TASKS: TaskModuleRef[] = [
  taskModule(new URL('./fill.ts', import.meta.url), 'fill'),
  taskModule(new URL('./flow-direction.ts', import.meta.url), 'flowDirection'),
  taskModule(new URL('./flow-accumulation.ts', import.meta.url), 'flowAccumulation'),
  taskModule(new URL('./stream-link.ts', import.meta.url), 'streamLink'),
  taskModule(new URL('./watershed.ts', import.meta.url), 'watershed'),
  taskModule(new URL('./flow-distance.ts', import.meta.url), 'flowDistance'),
  taskModule(new URL('./calculate-density.ts', import.meta.url), 'calculateDensity'),
  taskModule(new URL('./calculate-travel-cost.ts', import.meta.url), 'calculateTravelCost'),
  taskModule(new URL('./determine-travel-cost-path-as-polyline.ts', import.meta.url), 'determineTravelCostPathAsPolyline'),
  taskModule(new URL('./determine-travel-cost-paths-to-destinations.ts', import.meta.url), 'determineTravelCostPathsToDestinations'),
  taskModule(new URL('./determine-optimum-travel-cost-network.ts', import.meta.url), 'determineOptimumTravelCostNetwork'),
  taskModule(new URL('./segment.ts', import.meta.url), 'segment'),
  taskModule(new URL('./train-classifier.ts', import.meta.url), 'trainClassifier'),
  taskModule(new URL('./classify.ts', import.meta.url), 'classify'),
  taskModule(new URL('./nibble.ts', import.meta.url), 'nibble'),
];
