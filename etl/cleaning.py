"""Geometry cleaning for administrative polygons: WGS 84, 2D, valid MultiPolygons."""

import geopandas as gpd
import numpy as np
import shapely

from etl.files import to_wgs84
from etl.report import LayerReport

_POLYGONAL = np.array([shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])


def polygonal_parts_as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts of each geometry and return one MultiPolygon per input.

    Collections (e.g. from ``make_valid``) lose their points and lines; an input
    with no polygon part gives an empty MultiPolygon. Vectorised: parts are taken
    apart and rebuilt by index, without a loop over features.
    """
    geoms = np.asarray(geoms, dtype=object)
    result = np.full(len(geoms), shapely.MultiPolygon(), dtype=object)
    parts, index = shapely.get_parts(geoms, return_index=True)
    # Collections may nest multi-geometries: flatten level by level (a loop over the
    # nesting depth, at most two or three rounds, not over features).
    while True:
        nested = shapely.get_type_id(parts) >= shapely.GeometryType.MULTIPOINT
        if not nested.any():
            break
        inner, inner_index = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], inner])
        index = np.concatenate([index[~nested], index[nested][inner_index]])
    keep = (shapely.get_type_id(parts) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(parts)
    parts, index = parts[keep], index[keep]
    if len(parts):
        order = np.argsort(index, kind="stable")
        out = np.full(index.max() + 1, None, dtype=object)
        shapely.multipolygons(parts[order], indices=index[order], out=out)
        filled = shapely.is_geometry(out)
        result[: len(out)][filled] = out[filled]
    return result


def clean_geometries(gdf: gpd.GeoDataFrame, file_label: str = "") -> tuple[gpd.GeoDataFrame, LayerReport]:
    """Return the layer as valid 2D MultiPolygons in EPSG:4326, and a report.

    Reprojects to EPSG:4326, drops Z and M, repairs invalid geometries with
    ``shapely.make_valid`` (each repair is reported with ``shapely.is_valid_reason``),
    keeps only the polygon parts of the result and turns Polygons into
    MultiPolygons. Rows whose geometry is missing, empty or not polygonal are removed
    and reported as rejected. ``gdf`` must have a ``pcode`` column.
    """
    report = LayerReport(read=len(gdf))
    gdf = to_wgs84(gdf, file_label)
    geoms = np.asarray(shapely.force_2d(np.asarray(gdf.geometry.array, dtype=object)), dtype=object)
    pcodes = gdf["pcode"].to_numpy(dtype=object)

    missing = ~shapely.is_geometry(geoms)
    empty = ~missing & shapely.is_empty(geoms)
    type_ids = shapely.get_type_id(geoms)
    # Polygon, MultiPolygon or a collection that may hold polygons; anything else is refused.
    wrong_type = ~missing & ~empty & ~np.isin(type_ids, [*_POLYGONAL, shapely.GeometryType.GEOMETRYCOLLECTION])
    for label, mask in (("missing geometry", missing), ("empty geometry", empty)):
        report.rejected += [{"pcode": p, "reason": label} for p in pcodes[mask]]
    report.rejected += [
        {"pcode": p, "reason": f"not a polygon ({shapely.GeometryType(t).name.title()})"}
        for p, t in zip(pcodes[wrong_type], type_ids[wrong_type], strict=True)
    ]

    usable = ~(missing | empty | wrong_type)
    invalid = usable & ~shapely.is_valid(np.where(usable, geoms, None))
    reasons = shapely.is_valid_reason(geoms[invalid])
    geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    report.repaired += [{"pcode": p, "reason": r} for p, r in zip(pcodes[invalid], reasons, strict=True)]

    geoms[usable] = polygonal_parts_as_multipolygons(geoms[usable])
    collapsed = usable & shapely.is_empty(geoms)
    report.rejected += [{"pcode": p, "reason": "no polygon left after repair"} for p in pcodes[collapsed]]

    keep = usable & ~collapsed
    kept = gdf.loc[keep]
    cleaned = gpd.GeoDataFrame(
        kept.drop(columns=kept.geometry.name),
        geometry=gpd.GeoSeries(geoms[keep], index=kept.index, crs=4326),
    )
    return cleaned, report
