import path from 'node:path';
import gdal from 'gdal-async';

/** Writes N tiled GeoTIFFs side by side, each with a 16-pixel nodata (0) border. */
export async function generateImages(dir: string, N: number, SIZE: number): Promise<string[]> {
  const bands = [0, 1, 2].map((b) => {
    const data = new Uint8Array(SIZE * SIZE);
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const inside = r >= 16 && c >= 16 && r < SIZE - 16 && c < SIZE - 16;
        data[r * SIZE + c] = inside ? 1 + ((c * (b + 1) + r * 3) % 254) : 0;
      }
    }
    return data;
  });
  const files: string[] = [];
  for (let i = 0; i < N; i++) {
    const memory = gdal.open('mem', 'w', 'MEM', SIZE, SIZE, 3, gdal.GDT_Byte);
    memory.srs = gdal.SpatialReference.fromEPSG(32611);
    memory.geoTransform = [500000 + (i % 10) * SIZE * 0.5, 0.5, 0, 3800000 - Math.floor(i / 10) * SIZE * 0.5, 0, -0.5];
    for (let b = 0; b < 3; b++) {
      const band = memory.bands.get(b + 1);
      band.noDataValue = 0;
      band.pixels.write(0, 0, SIZE, SIZE, bands[b]);
    }
    const file = path.join(dir, `img_${String(i).padStart(4, '0')}.tif`);
    gdal.drivers.get('GTiff').createCopy(file, memory, ['TILED=YES', 'COMPRESS=DEFLATE']).close();
    memory.close();
    files.push(file);
  }
  return files;
}
