/** `f=pbf`: Esri's FeatureCollectionPBuffer for query results (content type application/x-protobuf). */
export {
  encodeFeatureCollectionPbf,
  type PbfCountResult,
  type PbfEncodeOptions,
  type PbfFeature,
  type PbfFeatureSet,
  type PbfField,
  type PbfIdsResult,
  type PbfQueryResult,
} from './encode-feature-collection-pbf.js';
export { decodeFeatureCollectionPbf, type DecodedFeatureSet, type DecodedQueryResult } from './decode-feature-collection-pbf.js';
export type { PbfTransform, QuantizationParameters } from './quantization.js';
