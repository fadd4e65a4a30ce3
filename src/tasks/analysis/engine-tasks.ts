import { tasksBeside, type TaskModuleRef } from '../../jobs/gp-registry.js';
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
export const ENGINE_ANALYSIS_TASKS: TaskModuleRef[] = tasksBeside(import.meta.url, {
  fill,
  flowDirection,
  flowAccumulation,
  streamLink,
  watershed,
  flowDistance,
  calculateDensity,
  calculateTravelCost,
  determineTravelCostPathAsPolyline,
  determineTravelCostPathsToDestinations,
  determineOptimumTravelCostNetwork,
  segment,
  trainClassifier,
  classify,
  nibble,
});
