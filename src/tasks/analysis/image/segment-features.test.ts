import { describe, expect, it } from 'vitest';
import { TaskError } from '../../../jobs/task.js';
import { segmentFeatureFields } from './segment-features.js';

describe('segmentFeatureFields', () => {
  it('maps ArcGIS segment attributes onto ZonalStatistics fields, once each', () => {
    expect(segmentFeatureFields('COLOR;MEAN', 4)).toEqual({ fields: ['mean_0', 'mean_1', 'mean_2', 'mean_3'], unsupported: [] });
    expect(segmentFeatureFields('std;count', 2).fields).toEqual(['stdev_0', 'stdev_1', 'count']);
  });

  it('reports the shape measures OTB does not compute, and refuses unknown names', () => {
    expect(segmentFeatureFields('MEAN;COMPACTNESS;RECTANGULARITY', 1)).toEqual({ fields: ['mean_0'], unsupported: ['COMPACTNESS', 'RECTANGULARITY'] });
    expect(() => segmentFeatureFields('COMPACTNESS', 3)).toThrow(TaskError);
    expect(() => segmentFeatureFields('TEXTURE', 3)).toThrow(/segmentAttributes/);
  });
});
