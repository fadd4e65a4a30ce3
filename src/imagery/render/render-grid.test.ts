import { describe, expect, it } from 'vitest';
import { squarePixels } from './render-grid.js';

describe('squarePixels (adjustAspectRatio)', () => {
  it.each([
    [{ xmin: 0, ymin: 0, xmax: 100, ymax: 50 }, [100, 100], { xmin: 0, ymin: -25, xmax: 100, ymax: 75 }],
    [{ xmin: 0, ymin: 0, xmax: 100, ymax: 100 }, [200, 100], { xmin: -50, ymin: 0, xmax: 150, ymax: 100 }],
    [{ xmin: 0, ymin: 0, xmax: 100, ymax: 100 }, [100, 100], { xmin: 0, ymin: 0, xmax: 100, ymax: 100 }],
  ])('%j at %j → %j', (bbox, [width, height], expected) => {
    expect(squarePixels(bbox, width, height)).toEqual(expected);
  });
});
