import { describe, expect, it } from 'vitest';
import { parseAcquisitionTime, parseMtlText, readLandsatMetadata } from './landsat-mtl.js';

const C1_LANDSAT8 = `GROUP = L1_METADATA_FILE
  GROUP = METADATA_FILE_INFO
    ORIGIN = "Image courtesy of the U.S. Geological Survey"
    LANDSAT_SCENE_ID = "LC80420342017167LGN00"
    LANDSAT_PRODUCT_ID = "LC08_L1TP_042034_20170616_20170629_01_T1"
    COLLECTION_NUMBER = 01
  END_GROUP = METADATA_FILE_INFO
  GROUP = PRODUCT_METADATA
    DATA_TYPE = "L1TP"
    SPACECRAFT_ID = "LANDSAT_8"
    SENSOR_ID = "OLI_TIRS"
    WRS_PATH = 42
    WRS_ROW = 34
    DATE_ACQUIRED = 2017-06-16
    SCENE_CENTER_TIME = "18:39:27.8911880Z"
    FILE_NAME_BAND_1 = "LC08_L1TP_042034_20170616_20170629_01_T1_B1.TIF"
    FILE_NAME_BAND_8 = "LC08_L1TP_042034_20170616_20170629_01_T1_B8.TIF"
    FILE_NAME_BAND_QUALITY = "LC08_L1TP_042034_20170616_20170629_01_T1_BQA.TIF"
  END_GROUP = PRODUCT_METADATA
  GROUP = IMAGE_ATTRIBUTES
    CLOUD_COVER = 1.23
    SUN_AZIMUTH = 121.04718372
    SUN_ELEVATION = 67.02184225
  END_GROUP = IMAGE_ATTRIBUTES
  GROUP = RADIOMETRIC_RESCALING
    REFLECTANCE_MULT_BAND_1 = 2.0000E-05
    REFLECTANCE_ADD_BAND_1 = -0.100000
  END_GROUP = RADIOMETRIC_RESCALING
END_GROUP = L1_METADATA_FILE
END
`;

const C1_LANDSAT7 = `GROUP = L1_METADATA_FILE
  GROUP = PRODUCT_METADATA
    DATA_TYPE = "L1TP"
    SPACECRAFT_ID = "LANDSAT_7"
    SENSOR_ID = "ETM"
    DATE_ACQUIRED = 2002-03-04
    SCENE_CENTER_TIME = "15:30:01.1234567Z"
    FILE_NAME_BAND_6_VCID_1 = "LE07_B6_VCID_1.TIF"
    FILE_NAME_BAND_7 = "LE07_B7.TIF"
  END_GROUP = PRODUCT_METADATA
END_GROUP = L1_METADATA_FILE
END
`;

const C2_LEVEL2 = `GROUP = LANDSAT_METADATA_FILE
  GROUP = PRODUCT_CONTENTS
    LANDSAT_PRODUCT_ID = "LC09_L2SP_042034_20230110_20230112_02_T1"
    PROCESSING_LEVEL = "L2SP"
    COLLECTION_NUMBER = 02
    FILE_NAME_BAND_1 = "LC09_L2SP_042034_20230110_20230112_02_T1_SR_B1.TIF"
    FILE_NAME_BAND_ST_B10 = "LC09_L2SP_042034_20230110_20230112_02_T1_ST_B10.TIF"
  END_GROUP = PRODUCT_CONTENTS
  GROUP = IMAGE_ATTRIBUTES
    SPACECRAFT_ID = "LANDSAT_9"
    SENSOR_ID = "OLI_TIRS"
    DATE_ACQUIRED = 2023-01-10
    SCENE_CENTER_TIME = "18:36:00Z"
    CLOUD_COVER = 0.00
  END_GROUP = IMAGE_ATTRIBUTES
  GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS
    REFLECTANCE_MULT_BAND_1 = 2.75e-05
    REFLECTANCE_ADD_BAND_1 = -0.2
  END_GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS
  GROUP = LEVEL1_RADIOMETRIC_RESCALING
    REFLECTANCE_MULT_BAND_1 = 2.0000E-05
    REFLECTANCE_ADD_BAND_1 = -0.100000
  END_GROUP = LEVEL1_RADIOMETRIC_RESCALING
END_GROUP = LANDSAT_METADATA_FILE
END
`;

describe('parseMtlText', () => {
  it('nests groups and unquotes strings', () => {
    expect(parseMtlText('GROUP = A\n  K = "v"\n  GROUP = B\n    N = 02\n  END_GROUP = B\n  D = 2020-01-02\nEND_GROUP = A\nEND\n')).toEqual({
      A: { K: 'v', B: { N: '02' }, D: '2020-01-02' },
    });
  });
});

describe('readLandsatMetadata', () => {
  it.each([
    {
      name: 'Collection 1, Landsat 8',
      text: C1_LANDSAT8,
      expected: {
        productId: 'LC08_L1TP_042034_20170616_20170629_01_T1',
        collection: 1,
        processingLevel: 'L1TP',
        spacecraft: 'LANDSAT_8',
        sensor: 'OLI_TIRS',
        acquisitionTime: Date.UTC(2017, 5, 16, 18, 39, 27, 891),
        cloudCover: 1.23,
        sunAzimuth: 121.04718372,
        sunElevation: 67.02184225,
        wrsPath: 42,
        wrsRow: 34,
        bandFiles: {
          '1': 'LC08_L1TP_042034_20170616_20170629_01_T1_B1.TIF',
          '8': 'LC08_L1TP_042034_20170616_20170629_01_T1_B8.TIF',
        },
        reflectance: { '1': { scale: 2e-5, offset: -0.1 } },
      },
    },
    {
      name: 'Collection 1, Landsat 7 thermal band keys',
      text: C1_LANDSAT7,
      expected: { spacecraft: 'LANDSAT_7', sensor: 'ETM', bandFiles: { '6_VCID_1': 'LE07_B6_VCID_1.TIF', '7': 'LE07_B7.TIF' }, acquisitionTime: Date.UTC(2002, 2, 4, 15, 30, 1, 123) },
    },
    {
      name: 'Collection 2 Level-2 takes the surface reflectance factors',
      text: C2_LEVEL2,
      expected: {
        collection: 2,
        processingLevel: 'L2SP',
        spacecraft: 'LANDSAT_9',
        cloudCover: 0,
        bandFiles: { '1': 'LC09_L2SP_042034_20230110_20230112_02_T1_SR_B1.TIF', ST_B10: 'LC09_L2SP_042034_20230110_20230112_02_T1_ST_B10.TIF' },
        reflectance: { '1': { scale: 2.75e-5, offset: -0.2 } },
        acquisitionTime: Date.UTC(2023, 0, 10, 18, 36, 0),
      },
    },
  ])('$name', ({ text, expected }) => {
    expect(readLandsatMetadata(parseMtlText(text))).toMatchObject(expected);
  });

  it('reads MTL.json the same as MTL.txt', () => {
    const tree = parseMtlText(C2_LEVEL2);
    expect(readLandsatMetadata(JSON.parse(JSON.stringify(tree)) as typeof tree)).toEqual(readLandsatMetadata(tree));
  });
});

describe('parseAcquisitionTime', () => {
  it.each([
    ['2023-01-15', '18:42:08.8791250Z', Date.UTC(2023, 0, 15, 18, 42, 8, 879)],
    ['2023-01-15', '18:42:08Z', Date.UTC(2023, 0, 15, 18, 42, 8)],
    ['2023-01-15', undefined, Date.UTC(2023, 0, 15)],
    ['15/01/2023', '18:42:08Z', null],
    [undefined, undefined, null],
  ])('%s %s → %s', (date, time, expected) => {
    expect(parseAcquisitionTime(date, time)).toBe(expected);
  });
});
