import { taskModule, type TaskModuleRef } from '../../jobs/gp-registry.js';
import { fill } from './fill.js';
import { flowDirection } from './flow-direction.js';
import { flowAccumulation } from './flow-accumulation.js';
import { streamLink } from './stream-link.js';
import { watershed } from './watershed.js';
import { flowDistance } from './flow-distance.js';
import { calculateDensity } from './calculate-density.js';
import { calculateTravelCost } from './calculate-travel-cost.js';
import { determineTravelCostPathAsPolyline } from './determine-travel-cost-path-as-polyline.js';
import { determineTravelCostPathsToDestinations } from './determine-travel-cost-paths-to-destinations.js';
import { determineOptimumTravelCostNetwork } from './determine-optimum-travel-cost-network.js';
import { segment } from './segment.js';
import { trainClassifier } from './train-classifier.js';
import { classify } from './classify.js';
import { nibble } from './nibble.js';

/**
 * The Raster Analysis tasks run on GRASS, SAGA and Orfeo ToolBox (hydrology, density, travel
 * cost, image analysis), kept in one list so src/tasks/index.ts changes by one line.
 */
export const ENGINE_ANALYSIS_TASKS: TaskModuleRef[] = [
  taskModule(new URL('./fill.ts', import.meta.url), 'fill', fill),
  taskModule(new URL('./flow-direction.ts', import.meta.url), 'flowDirection', flowDirection),
  taskModule(new URL('./flow-accumulation.ts', import.meta.url), 'flowAccumulation', flowAccumulation),
  taskModule(new URL('./stream-link.ts', import.meta.url), 'streamLink', streamLink),
  taskModule(new URL('./watershed.ts', import.meta.url), 'watershed', watershed),
  taskModule(new URL('./flow-distance.ts', import.meta.url), 'flowDistance', flowDistance),
  taskModule(new URL('./calculate-density.ts', import.meta.url), 'calculateDensity', calculateDensity),
  taskModule(new URL('./calculate-travel-cost.ts', import.meta.url), 'calculateTravelCost', calculateTravelCost),
  taskModule(new URL('./determine-travel-cost-path-as-polyline.ts', import.meta.url), 'determineTravelCostPathAsPolyline', determineTravelCostPathAsPolyline),
  taskModule(new URL('./determine-travel-cost-paths-to-destinations.ts', import.meta.url), 'determineTravelCostPathsToDestinations', determineTravelCostPathsToDestinations),
  taskModule(new URL('./determine-optimum-travel-cost-network.ts', import.meta.url), 'determineOptimumTravelCostNetwork', determineOptimumTravelCostNetwork),
  taskModule(new URL('./segment.ts', import.meta.url), 'segment', segment),
  taskModule(new URL('./train-classifier.ts', import.meta.url), 'trainClassifier', trainClassifier),
  taskModule(new URL('./classify.ts', import.meta.url), 'classify', classify),
  taskModule(new URL('./nibble.ts', import.meta.url), 'nibble', nibble),
];
