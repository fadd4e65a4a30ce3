import { CURRENT_VERSION } from '../directory/version.js';
import type { ServiceRecord } from '../store/service-store.js';
import { describeFields } from './catalog-fields.js';
import { collectionSrJson } from './collection-srs.js';
import { DEFAULT_CAPABILITIES, imageServiceDefinition } from './image-service-definition.js';
import { statisticsJson } from './statistics-json.js';
import type { CollectionRecord } from './store/catalog-store.js';

/** Limits advertised by every collection's service (ArcGIS Image Service resource). */
export const MAX_RECORD_COUNT = 1000;
const MOSAIC_METHODS = 'NorthWest,Center,LockRaster,ByAttribute,Nadir,Viewpoint,Seamline,None';

/**
 * The ImageServer resource JSON of a collection (ArcGIS Image Service resource), from the collection's
 * summary: extent, pixel size, bands, pixel type and statistics as of the last catalog change.
 */
export function buildServiceInfo(service: ServiceRecord, collection: CollectionRecord): Record<string, unknown> {
  const summary = collection.summary;
  const spatialReference = collectionSrJson(collection);
  const extent = { ...(summary.extent ?? { xmin: 0, ymin: 0, xmax: 0, ymax: 0 }), spatialReference };
  const stats = summary.statistics ?? [];
  const definition = imageServiceDefinition(service);
  return {
    currentVersion: CURRENT_VERSION,
    serviceDescription: definition.description ?? '',
    name: service.name,
    description: definition.description ?? '',
    extent,
    initialExtent: extent,
    fullExtent: extent,
    pixelSizeX: summary.pixelSizeX ?? 0,
    pixelSizeY: summary.pixelSizeY ?? 0,
    bandCount: summary.bandCount,
    bandNames: Array.from({ length: summary.bandCount }, (_, i) => `Band_${i + 1}`),
    pixelType: summary.pixelType ?? 'UNKNOWN',
    minPixelSize: 0,
    maxPixelSize: 0,
    ...statisticsJson(stats),
    hasMultidimensions: false,
    timeInfo: null,
    copyrightText: definition.copyrightText ?? '',
    serviceDataType: serviceDataTypeOf(collection),
    serviceSourceType: 'esriImageServiceSourceTypeMosaicDataset',
    objectIdField: 'OBJECTID',
    fields: describeFields(collection.properties.extraFields),
    capabilities: definition.capabilities ?? DEFAULT_CAPABILITIES,
    defaultMosaicMethod: 'Northwest',
    allowedMosaicMethods: MOSAIC_METHODS,
    sortField: '',
    sortValue: null,
    sortAscending: true,
    mosaicOperator: 'First',
    defaultCompressionQuality: 75,
    defaultResamplingMethod: 'Bilinear',
    maxImageHeight: 4100,
    maxImageWidth: 15000,
    maxRecordCount: MAX_RECORD_COUNT,
    maxDownloadImageCount: 20,
    maxDownloadSizeLimit: 2048,
    maxMosaicImageCount: 20,
    allowRasterFunction: true,
    rasterFunctionInfos: [{ name: 'None', description: '', help: '' }],
    rasterTypeInfos: collection.properties.rasterTypes.map((name) => ({ name, description: '', help: '' })),
    mensurationCapabilities: 'Basic',
    hasHistograms: false,
    hasColormap: false,
    hasRasterAttributeTable: false,
    minScale: 0,
    maxScale: 0,
    exportTilesAllowed: false,
    supportsStatistics: true,
    supportsAdvancedQueries: true,
    useStandardizedQueries: true,
    advancedQueryCapabilities: { useStandardizedQueries: true, supportsStatistics: false, supportsOrderBy: true, supportsDistinct: false, supportsPagination: true },
    allowCopy: true,
    allowAnalysis: true,
    datasetFormat: 'AMD',
    uncompressedSize: summary.uncompressedSize,
    blockWidth: 512,
    blockHeight: 512,
    compressionType: 'None',
    editFieldsInfo: null,
    ownershipBasedAccessControlForRasters: null,
    imageCollectionType: collection.collectionType,
    spatialReference,
  };
}

/** RGB for three or four 8-bit bands read as colour; Elevation is for DEM collections; else Generic. */
function serviceDataTypeOf(collection: CollectionRecord): string {
  const { bandCount, pixelType, colorInterpretations } = collection.summary;
  const colour = colorInterpretations.slice(0, 3).join(',') === 'Red,Green,Blue';
  if (pixelType === 'U8' && (bandCount === 3 || bandCount === 4) && (colour || bandCount === 3)) return 'esriImageServiceDataTypeRGB';
  return 'esriImageServiceDataTypeGeneric';
}
