"""Administrative boundaries: one import point for reading, cleaning, checking, simplifying.

The work is split over ``readers``, ``cleaning``, ``checks`` and ``simplify``; this
module gathers the public interface the Django side uses.
"""

from etl.checks import EQUAL_AREA_CRS, check_layer
from etl.cleaning import clean_geometries
from etl.readers import read_admin_layer
from etl.report import LayerReport
from etl.simplify import WEB_TOLERANCE_BY_LEVEL, geojson_bytes, geojson_sizes, web_geometries

__all__ = [
    "EQUAL_AREA_CRS",
    "WEB_TOLERANCE_BY_LEVEL",
    "LayerReport",
    "check_layer",
    "clean_geometries",
    "geojson_bytes",
    "geojson_sizes",
    "read_admin_layer",
    "web_geometries",
]
