import gdal from 'gdal-async';

/** Every band of a raster with NaN where GDAL's mask (nodata or mask band) says no data. */
export interface Masked {
  width: number;
  height: number;
  geoTransform: number[];
  bands: Float64Array[];
}

export function readMasked(file: string): Masked {
  const dataset = gdal.open(file);
  try {
    const { x: width, y: height } = dataset.rasterSize;
    const bands: Float64Array[] = [];
    for (let b = 1; b <= dataset.bands.count(); b++) {
      const band = dataset.bands.get(b);
      if (band.colorInterpretation === 'Alpha') continue;
      const values = new Float64Array(width * height);
      band.pixels.read(0, 0, width, height, values);
      const mask = new Uint8Array(width * height);
      band.getMaskBand()!.pixels.read(0, 0, width, height, mask);
      for (let i = 0; i < values.length; i++) if (mask[i] === 0) values[i] = Number.NaN;
      bands.push(values);
    }
    return { width, height, geoTransform: dataset.geoTransform!, bands };
  } finally {
    dataset.close();
  }
}
