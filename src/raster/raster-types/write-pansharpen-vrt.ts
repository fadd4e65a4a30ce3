import { writeFile } from 'node:fs/promises';
import { escapeXml } from './write-band-vrt.js';

/**
 * Writes a GDAL pansharpened VRT (VRTPansharpenedDataset): the spectral bands resampled to the
 * panchromatic grid and sharpened with the weighted Brovey method, the only one GDAL has.
 * Pixels are computed when read, so the COG conversion does the work.
 */
export async function writePansharpenVrt(vrtPath: string, pan: string, spectral: string[], weights: number[], noData?: number): Promise<void> {
  const source = (file: string): string => `<SourceFilename relativeToVRT="0">${escapeXml(file)}</SourceFilename><SourceBand>1</SourceBand>`;
  const bands = spectral.map((file, i) => `    <SpectralBand dstBand="${i + 1}">${source(file)}</SpectralBand>`).join('\n');
  const xml = `<VRTDataset subClass="VRTPansharpenedDataset">
  <PansharpeningOptions>
    <Algorithm>WeightedBrovey</Algorithm>
    <AlgorithmOptions><Weights>${weights.join(',')}</Weights></AlgorithmOptions>
    <Resampling>Cubic</Resampling>
${noData === undefined ? '' : `    <NoData>${noData}</NoData>\n`}    <PanchroBand>${source(pan)}</PanchroBand>
${bands}
  </PansharpeningOptions>
</VRTDataset>
`;
  await writeFile(vrtPath, xml);
}
