import type { LayerDefinition } from './service-definition.js';

/** The page-size caps a layer advertises (the ArcGIS REST API Layer / Table resource) and query enforces. */
export interface RecordLimits {
  maxRecordCount: number;
  standardMaxRecordCount: number;
  tileMaxRecordCount: number;
  standardMaxRecordCountNoGeometry: number;
  maxRecordCountFactor: number;
  capFor(resultType: 'none' | 'standard' | 'tile', withGeometry: boolean): number;
}

export function recordLimitsOf(layer: LayerDefinition, serviceMax: number): RecordLimits {
  const points = layer.geometryType === 'esriGeometryPoint' || layer.geometryType === undefined;
  const limits = {
    maxRecordCount: layer.maxRecordCount ?? serviceMax,
    standardMaxRecordCount: points ? 32000 : 4000,
    tileMaxRecordCount: points ? 8000 : 4000,
    standardMaxRecordCountNoGeometry: 32000,
    maxRecordCountFactor: 1,
  };
  return {
    ...limits,
    capFor(resultType, withGeometry) {
      if (resultType === 'tile') return limits.tileMaxRecordCount;
      if (resultType === 'standard') return withGeometry ? limits.standardMaxRecordCount : limits.standardMaxRecordCountNoGeometry;
      return limits.maxRecordCount;
    },
  };
}
