import { describe, expect, it } from 'vitest';
import { imageServiceUrl, parseImageServiceUrl } from './image-service-definition.js';

describe('parseImageServiceUrl', () => {
  it.each([
    ['https://h/arcgis/rest/services/Hosted/uav/ImageServer', { folder: 'Hosted', name: 'uav' }],
    ['https://h/arcgis/rest/services/Hosted/uav/ImageServer/', { folder: 'Hosted', name: 'uav' }],
    ['https://h/arcgis/rest/services/Hosted/uav/ImageServer?token=abc', { folder: 'Hosted', name: 'uav' }],
    ['https://h/arcgis/rest/services/uav/ImageServer', { folder: '', name: 'uav' }],
    ['/rest/services/Hosted/my%20layer/imageserver', { folder: 'Hosted', name: 'my layer' }],
    ['https://h/arcgis/rest/services/Hosted/uav/FeatureServer', null],
    ['https://h/bucket/a.tif', null],
  ])('%s', (url, expected) => {
    expect(parseImageServiceUrl(url)).toEqual(expected);
  });

  it('builds the URL it parses', () => {
    expect(imageServiceUrl('https://h/arcgis/', 'Hosted', 'uav')).toBe('https://h/arcgis/rest/services/Hosted/uav/ImageServer');
  });
});
