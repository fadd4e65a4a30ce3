"""
gdal_proximity.py (GDAL's own osgeo_utils module, the same arguments, so the same pixels), then
the result's internal overviews in the same process, while GDAL still holds its blocks: the
raster store takes the file as it is instead of reading it back (calculate-distance.ts).
Usage: python3 proximity-with-overviews.py LEVELS gdal_proximity-arguments…, LEVELS being
the overview factors, comma-separated ("2,4"), or "-" for none.
"""
import sys

from osgeo import gdal
from osgeo_utils import gdal_proximity

levels = [int(f) for f in sys.argv[1].split(",")] if sys.argv[1] != "-" else []
compute = gdal.ComputeProximity


def compute_then_overviews(src_band, dst_band, options=None, callback=None):
    result = compute(src_band, dst_band, options or [], callback=callback)
    if levels:
        # As src/raster/internal-overviews.ts: average, ZSTD level 1.
        gdal.SetConfigOption("COMPRESS_OVERVIEW", "ZSTD")
        gdal.SetConfigOption("ZSTD_LEVEL_OVERVIEW", "1")
        dst_band.GetDataset().BuildOverviews("AVERAGE", levels)
    return result


gdal.ComputeProximity = compute_then_overviews
sys.exit(gdal_proximity.main([sys.argv[0]] + sys.argv[2:]))
