"""
The plain way to do what SummarizeRasterWithin and ZonalStatisticsAsTable do, for
bench/raster-analysis.ts: GDAL 3.6 has no zonal statistics utility, so the baseline is GDAL's
Python bindings and numpy. Warps the zones onto the value raster's grid, reads both grids,
computes per-zone statistics with numpy, and writes the result.

  zonal-baseline.py raster ZONES VALUES OUT.tif   the zone mean on every cell (tiled ZSTD GeoTIFF)
  zonal-baseline.py table ZONES VALUES OUT.csv    every statistic of ZonalStatisticsAsTable's ALL
"""
import csv
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
FLOAT32_NODATA = -3.4028234663852886e38


def read(dataset):
    band = dataset.GetRasterBand(1)
    data = band.ReadAsArray().astype(np.float64).ravel()
    valid = band.GetMaskBand().ReadAsArray().ravel() != 0
    return data, valid & ~np.isnan(data)


def zones_on_grid(zones_path, grid, out_path):
    gt = grid.GetGeoTransform()
    w, h = grid.RasterXSize, grid.RasterYSize
    bounds = [gt[0], gt[3] + gt[5] * h, gt[0] + gt[1] * w, gt[3]]
    return gdal.Warp(out_path, zones_path, resampleAlg='near', dstSRS=grid.GetProjection(), outputBounds=bounds, width=w, height=h)


def main():
    mode, zones_path, values_path, out_path = sys.argv[1:5]
    grid = gdal.Open(values_path)
    values, value_valid = read(grid)
    zone_raw, zone_valid = read(zones_on_grid(zones_path, grid, out_path + '.zones.tif'))
    labels, zone = np.unique(zone_raw[zone_valid], return_inverse=True)
    cells = zone_valid.copy()
    zone_of_cell = np.zeros(values.size, dtype=np.int64)
    zone_of_cell[zone_valid] = zone
    counted = cells & value_valid
    z = zone_of_cell[counted]
    v = values[counted]
    count = np.bincount(z, minlength=labels.size)
    total = np.bincount(z, weights=v, minlength=labels.size)
    with np.errstate(invalid='ignore', divide='ignore'):
        mean = total / count
    if mode == 'raster':
        out = np.full(values.size, FLOAT32_NODATA, dtype=np.float32)
        out[cells] = mean[zone_of_cell[cells]]
        out[np.isnan(out)] = FLOAT32_NODATA
        driver = gdal.GetDriverByName('GTiff')
        ds = driver.Create(out_path, grid.RasterXSize, grid.RasterYSize, 1, gdal.GDT_Float32, ['TILED=YES', 'COMPRESS=ZSTD', 'ZSTD_LEVEL=1'])
        ds.SetGeoTransform(grid.GetGeoTransform())
        ds.SetProjection(grid.GetProjection())
        band = ds.GetRasterBand(1)
        band.SetNoDataValue(FLOAT32_NODATA)
        band.WriteArray(out.reshape(grid.RasterYSize, grid.RasterXSize))
        ds = None
        return
    # Sorted by zone then value: order statistics and runs of equal values per zone.
    order = np.lexsort((v, z))
    z, v = z[order], v[order]
    present = np.nonzero(count)[0]
    start = np.concatenate(([0], np.cumsum(count)[:-1]))[present]
    n = count[present]
    squares = np.bincount(z, weights=(v - mean[z]) ** 2, minlength=labels.size)[present]
    run_start = np.concatenate(([True], (z[1:] != z[:-1]) | (v[1:] != v[:-1])))
    run_index = np.nonzero(run_start)[0]
    run_zone, run_value = z[run_index], v[run_index]
    run_length = np.diff(np.append(run_index, v.size))
    variety = np.bincount(run_zone, minlength=labels.size)[present]
    # Stable sorts: among equal counts the smallest value (the first run) wins, as ArcGIS.
    most = np.lexsort((-run_length, run_zone))
    least = np.lexsort((run_length, run_zone))
    first = np.concatenate(([True], run_zone[most][1:] != run_zone[most][:-1]))
    majority = run_value[most][first]
    minority = run_value[least][first]
    rank = np.minimum(n, np.maximum(1, np.ceil(0.9 * n).astype(np.int64)))
    lo, hi = v[start], v[start + n - 1]
    with open(out_path, 'w', newline='') as f:
        out = csv.writer(f, lineterminator='\n')
        out.writerow(['Value', 'COUNT', 'AREA', 'MIN', 'MAX', 'RANGE', 'MEAN', 'STD', 'SUM', 'VARIETY', 'MAJORITY', 'MINORITY', 'MEDIAN', 'PCT90'])
        gt = grid.GetGeoTransform()
        area = abs(gt[1] * gt[5])
        for i, k in enumerate(present):
            out.writerow([labels[k], n[i], n[i] * area, lo[i], hi[i], hi[i] - lo[i], mean[k], np.sqrt(squares[i] / n[i]), total[k], variety[i], majority[i], minority[i], v[start[i] + (n[i] - 1) // 2], v[start[i] + rank[i] - 1]])


main()
