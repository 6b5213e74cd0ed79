"""Lighter geometries for the web map, simplified as a coverage.

Simplifying each polygon on its own leaves slivers and overlaps between neighbours.
``shapely.coverage_simplify`` simplifies the shared edges once, so neighbours keep
identical borders.
"""

import gzip
import json

import geopandas as gpd
import numpy as np
import shapely

from etl.cleaning import polygonal_parts_as_multipolygons

# Tolerances in degrees (0.01° is about 1.1 km), tuned on the COD 2015 layers so that
# GeoJSON with 4-decimal coordinates stays small: cercles ~52 KB gzip (aim ≤ 60 KB),
# communes ~113 KB gzip (aim ≤ 120 KB). At national zoom one pixel is about 0.02°,
# so these are below what the eye sees there.
WEB_TOLERANCE_BY_LEVEL = {0: 0.02, 1: 0.01, 2: 0.004, 3: 0.009, 4: 0.0005}


def web_geometries(gdf: gpd.GeoDataFrame, *, tolerance_deg: float) -> gpd.GeoSeries:
    """Return simplified, valid MultiPolygons for the web map, aligned on ``gdf``'s index.

    The whole layer is simplified together with ``shapely.coverage_simplify`` (outer
    boundary included) so neighbours keep shared borders without gaps or overlaps.
    If the layer is not a clean coverage, each polygon is simplified on its own
    instead (topology-preserving), which may leave thin slivers. A polygon that
    would collapse keeps its original geometry. ``gdf`` must be in EPSG:4326.
    """
    original = np.asarray(gdf.geometry.array, dtype=object)
    if shapely.coverage_is_valid(original):
        simplified = shapely.coverage_simplify(original, tolerance_deg, simplify_boundary=True)
    else:
        simplified = shapely.simplify(original, tolerance_deg, preserve_topology=True)
    simplified = np.asarray(simplified, dtype=object)
    invalid = ~shapely.is_valid(simplified)
    simplified[invalid] = shapely.make_valid(simplified[invalid], method="structure", keep_collapsed=False)
    simplified = polygonal_parts_as_multipolygons(simplified)
    collapsed = shapely.is_empty(simplified)
    simplified[collapsed] = polygonal_parts_as_multipolygons(original[collapsed])
    # RFC 7946 winding (exterior rings counter-clockwise): the source mixes both, and map renderers care.
    simplified = shapely.orient_polygons(simplified, exterior_cw=False)
    return gpd.GeoSeries(simplified, index=gdf.index, crs=gdf.crs)


def geojson_bytes(
    gdf: gpd.GeoDataFrame,
    geometries: gpd.GeoSeries | None = None,
    *,
    decimals: int = 4,
    properties: tuple[str, ...] = ("pcode", "name"),
) -> bytes:
    """Serialise a layer as a compact GeoJSON FeatureCollection with rounded coordinates.

    ``geometries`` replaces the layer's own geometry (e.g. the output of
    :func:`web_geometries`). Used to measure what the browser will download.
    """
    geoms = np.asarray((gdf.geometry if geometries is None else geometries).array, dtype=object)
    rounded = shapely.transform(geoms, lambda coords: np.round(coords, decimals))
    rows = gdf[list(properties)].to_dict("records")
    features = [
        {"type": "Feature", "properties": row, "geometry": json.loads(text)}
        for row, text in zip(rows, shapely.to_geojson(rounded), strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def geojson_sizes(
    gdf: gpd.GeoDataFrame, geometries: gpd.GeoSeries | None = None, *, decimals: int = 4
) -> tuple[int, int]:
    """Return ``(raw_bytes, gzip_bytes)`` of :func:`geojson_bytes` for the layer."""
    raw = geojson_bytes(gdf, geometries, decimals=decimals)
    return len(raw), len(gzip.compress(raw, compresslevel=9))
