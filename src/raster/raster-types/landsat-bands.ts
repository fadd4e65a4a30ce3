/** A Landsat band: its MTL key (`FILE_NAME_BAND_<key>`) and the ArcGIS band name. */
export interface LandsatBand {
  key: string;
  name: string;
  /** Left out silently when the product has no such file (e.g. no cirrus band in Level-2). */
  optional?: boolean;
}

export interface LandsatSensor {
  /** Raster type name as the REST API spells it. */
  rasterType: 'Landsat 7 ETM+' | 'Landsat 8';
  spacecraft: RegExp;
  multispectral: LandsatBand[];
  panchromatic: LandsatBand[];
  thermal: LandsatBand[];
  /** Red, green, blue, near-infrared keys, in the order pansharpening weights are given. */
  pansharpenKeys: [string, string, string, string];
  defaultWeights: number[];
  sensorName: (spacecraft: string) => string;
}

/** Bands of the two Landsat raster types. Collection 2 Level-2 files use ST_B* for thermal. */
export const LANDSAT_SENSORS: Record<'Landsat 7 ETM+' | 'Landsat 8', LandsatSensor> = {
  'Landsat 8': {
    rasterType: 'Landsat 8',
    // Landsat 9 (OLI-2/TIRS-2) has the same bands and files.
    spacecraft: /^LANDSAT_[89]$/,
    multispectral: [
      { key: '1', name: 'CoastalAerosol' },
      { key: '2', name: 'Blue' },
      { key: '3', name: 'Green' },
      { key: '4', name: 'Red' },
      { key: '5', name: 'NearInfrared' },
      { key: '6', name: 'ShortWaveInfrared_1' },
      { key: '7', name: 'ShortWaveInfrared_2' },
      { key: '9', name: 'Cirrus', optional: true },
    ],
    panchromatic: [{ key: '8', name: 'Panchromatic' }],
    thermal: [
      { key: '10', name: 'ThermalInfrared_1' },
      { key: '11', name: 'ThermalInfrared_2', optional: true },
    ],
    pansharpenKeys: ['4', '3', '2', '5'],
    defaultWeights: [0.42, 0.51, 0.07, 0.0],
    sensorName: (spacecraft) => (spacecraft === 'LANDSAT_9' ? 'Landsat-9' : 'Landsat-8'),
  },
  'Landsat 7 ETM+': {
    rasterType: 'Landsat 7 ETM+',
    spacecraft: /^LANDSAT_7$/,
    multispectral: [
      { key: '1', name: 'Blue' },
      { key: '2', name: 'Green' },
      { key: '3', name: 'Red' },
      { key: '4', name: 'NearInfrared' },
      { key: '5', name: 'ShortWaveInfrared_1' },
      { key: '7', name: 'ShortWaveInfrared_2' },
    ],
    panchromatic: [{ key: '8', name: 'Panchromatic' }],
    thermal: [
      { key: '6_VCID_1', name: 'ThermalInfrared_LowGain' },
      { key: '6_VCID_2', name: 'ThermalInfrared_HighGain', optional: true },
    ],
    pansharpenKeys: ['3', '2', '1', '4'],
    defaultWeights: [0.11, 0.14, 0.14, 0.61],
    sensorName: () => 'Landsat-7-ETM+',
  },
};

/** The band file key in a product: Level-2 thermal bands are `ST_B10` / `ST_B6`. */
export function findBandKey(bandFiles: Record<string, string>, key: string): string | undefined {
  if (bandFiles[key]) return key;
  const thermal = `ST_B${key.replace(/_VCID_\d$/, '')}`;
  return bandFiles[thermal] ? thermal : undefined;
}
