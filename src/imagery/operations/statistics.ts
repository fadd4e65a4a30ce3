import { sendResource } from '../../http/respond.js';
import { collectionSummary } from '../render/collection-statistics.js';
import { parseRenderingRule } from '../render/raster-functions/rendering-rule.js';
import { ruleOutput } from '../render/rule-output.js';
import { requestRuleRasters } from '../render/rule-rasters.js';
import { operationPage, type RenderOperation } from './render-deps.js';

/** `statistics` and `histograms` of the service (ArcGIS Image Service resources). */
function statisticsOperation(which: 'statistics' | 'histograms'): RenderOperation {
  return {
    path: `/${which}`,
    needs: ['Metadata'],
    async handle(request, reply, target, deps) {
      // With a rule, the figures describe the rule's output (the SDK stretches by them after a switch).
      const rule = parseRenderingRule(request.arcgis.params.json('renderingRule'));
      const summary = rule ? await ruleOutput(deps.catalog, target.collection, rule, requestRuleRasters(deps.context, deps.catalog, request)) : await collectionSummary(deps.catalog, target.collection, deps.overviews);
      const body = which === 'statistics' ? { statistics: summary?.statistics ?? [] } : { histograms: summary?.histograms ?? [] };
      return sendResource(request, reply, body, operationPage(deps, request, target, which));
    },
  };
}

export const statisticsOperations = [statisticsOperation('statistics'), statisticsOperation('histograms')];
