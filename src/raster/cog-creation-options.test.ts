import { describe, expect, it } from 'vitest';
import { chooseCogCreationOptions, type CogCompressionOverrides, type CogPixelLayout } from './cog-creation-options.js';

const layout = (over: Partial<CogPixelLayout>): CogPixelLayout => ({ dataType: 'Byte', bandCount: 3, hasNoData: false, hasColorTable: false, ...over });
const common = ['BLOCKSIZE=512', 'BIGTIFF=IF_SAFER'];

describe('chooseCogCreationOptions', () => {
  it.each<[string, CogPixelLayout, CogCompressionOverrides, string[]]>([
    ['8-bit RGB → JPEG', layout({}), {}, [...common, 'COMPRESS=JPEG', 'NUM_THREADS=ALL_CPUS', 'QUALITY=90', 'OVERVIEW_RESAMPLING=AVERAGE']],
    ['8-bit RGB with nodata → DEFLATE', layout({ hasNoData: true }), {}, [...common, 'COMPRESS=DEFLATE', 'NUM_THREADS=ALL_CPUS', 'PREDICTOR=YES', 'OVERVIEW_RESAMPLING=AVERAGE']],
    ['8-bit 6 bands → DEFLATE', layout({ bandCount: 6 }), {}, [...common, 'COMPRESS=DEFLATE', 'NUM_THREADS=ALL_CPUS', 'PREDICTOR=YES', 'OVERVIEW_RESAMPLING=AVERAGE']],
    ['UInt16 → DEFLATE + predictor', layout({ dataType: 'UInt16', bandCount: 7 }), { threads: 2 }, [...common, 'COMPRESS=DEFLATE', 'NUM_THREADS=2', 'PREDICTOR=YES', 'OVERVIEW_RESAMPLING=AVERAGE']],
    ['Float32 → lossless LERC', layout({ dataType: 'Float32', bandCount: 1 }), {}, [...common, 'COMPRESS=LERC_DEFLATE', 'NUM_THREADS=ALL_CPUS', 'MAX_Z_ERROR=0', 'OVERVIEW_RESAMPLING=AVERAGE']],
    ['palette → DEFLATE, nearest overviews', layout({ bandCount: 1, hasColorTable: true }), {}, [...common, 'COMPRESS=DEFLATE', 'NUM_THREADS=ALL_CPUS', 'OVERVIEW_RESAMPLING=NEAREST']],
    ['override JPEG quality', layout({}), { quality: 75 }, [...common, 'COMPRESS=JPEG', 'NUM_THREADS=ALL_CPUS', 'QUALITY=75', 'OVERVIEW_RESAMPLING=AVERAGE']],
    ['override to ZSTD', layout({ dataType: 'Int16', bandCount: 1 }), { compression: 'ZSTD' }, [...common, 'COMPRESS=ZSTD', 'NUM_THREADS=ALL_CPUS', 'PREDICTOR=YES', 'OVERVIEW_RESAMPLING=AVERAGE']],
  ])('%s', (_name, input, overrides, expected) => {
    expect(chooseCogCreationOptions(input, overrides)).toEqual(expected);
  });
});
