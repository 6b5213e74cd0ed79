import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import layer

from etl.boundaries import WEB_TOLERANCE_BY_LEVEL, geojson_bytes, geojson_sizes, read_admin_layer, web_geometries
from etl.checks import EQUAL_AREA_CRS

# Size aims for the web map, gzip bytes of GeoJSON with 4-decimal coordinates.
AIMS = {2: 60_000, 3: 120_000}


def jagged_coverage(n=3, wiggle=0.01, samples=200):
    """An n x n grid whose inner borders zigzag, built by polygonising one line network,
    so neighbours share exactly the same (detailed) border."""
    t = np.linspace(0, 1, samples)
    lines = []
    for k in range(n + 1):
        offset = np.zeros_like(t) if k in (0, n) else wiggle * np.sin(40 * t + k)
        lines.append(shapely.LineString(np.column_stack([k / n + offset, t])))
        lines.append(shapely.LineString(np.column_stack([t, k / n + offset])))
    polygons = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines))))
    return layer([{"pcode": f"P{i}", "geometry": p} for i, p in enumerate(polygons)])


def holes_area(geoms, crs="EPSG:4326"):
    """Area (in the layer's units) of the interior holes of the union of geoms."""
    union = shapely.union_all(geoms)
    rings = [ring for part in shapely.get_parts(union) for ring in part.interiors]
    if not rings:
        return 0.0
    return float(gpd.GeoSeries(shapely.polygons(rings), crs=crs).to_crs(EQUAL_AREA_CRS).area.sum())


def test_simplified_coverage_keeps_shared_borders():
    coverage = jagged_coverage()
    assert len(coverage) == 9 and shapely.coverage_is_valid(coverage.geometry.values)
    simplified = web_geometries(coverage, tolerance_deg=0.02)
    assert simplified.index.equals(coverage.index)
    assert set(simplified.geom_type) == {"MultiPolygon"}
    assert simplified.is_valid.all() and not simplified.is_empty.any()
    assert (
        shapely.get_num_coordinates(simplified.values).sum()
        < shapely.get_num_coordinates(coverage.geometry.values).sum() / 4
    )
    # Neighbours still fit together: no overlaps, no slivers, the same outline.
    assert shapely.coverage_is_valid(simplified.values)
    assert holes_area(simplified.values) == 0.0
    assert shapely.union_all(simplified.values).area == pytest.approx(1.0, abs=1e-9)


def test_geojson_bytes_rounds_coordinates():
    gdf = layer([{"pcode": "P1", "name": "Ségou", "geometry": shapely.box(0.123456, 1.0, 1.0, 2.987654)}])
    text = geojson_bytes(gdf).decode()
    assert "0.1235" in text and "2.9877" in text and "0.123456" not in text
    assert '"name":"Ségou"' in text
    raw, zipped = geojson_sizes(gdf)
    assert raw == len(text.encode()) and 0 < zipped


@pytest.mark.realdata
@pytest.mark.parametrize(("level", "file"), [(2, "admin2_cercles.geojson"), (3, "admin3_communes.geojson")])
def test_real_web_geometries_within_size_aims(mali_dir, level, file):
    gdf, _ = read_admin_layer(mali_dir / file, level=level)
    simplified = web_geometries(gdf, tolerance_deg=WEB_TOLERANCE_BY_LEVEL[level])
    raw, zipped = geojson_sizes(gdf, simplified)
    print(f"level {level}: {raw} bytes raw, {zipped} bytes gzip")
    assert zipped <= AIMS[level]
    assert not simplified.is_empty.any()
    assert simplified.is_valid.all() and set(simplified.geom_type) == {"MultiPolygon"}
    # No slivers between neighbours, and the country outline barely moves.
    assert shapely.coverage_is_valid(simplified.values)
    assert holes_area(simplified.values) < 10_000  # m², i.e. 0.01 km²
    before = gdf.to_crs(EQUAL_AREA_CRS).area.sum()
    after = gpd.GeoSeries(simplified, crs=4326).to_crs(EQUAL_AREA_CRS).area.sum()
    assert after == pytest.approx(before, rel=0.005)


def test_overlapping_layer_is_simplified_one_polygon_at_a_time():
    circle = shapely.Point(0, 0).buffer(1, quad_segs=64)
    gdf = layer([{"pcode": "A", "geometry": circle}, {"pcode": "B", "geometry": shapely.affinity.translate(circle, 1)}])
    simplified = web_geometries(gdf, tolerance_deg=0.05)
    assert simplified.is_valid.all() and set(simplified.geom_type) == {"MultiPolygon"}
    assert (shapely.get_num_coordinates(simplified.values) < shapely.get_num_coordinates(gdf.geometry.values)).all()


def test_web_geometries_follow_rfc_7946_winding():
    import geopandas as gpd
    import shapely
    from shapely.geometry import Polygon

    from etl.simplify import web_geometries

    clockwise = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    counter = Polygon([(2, 0), (3, 0), (3, 1), (2, 1)])
    frame = gpd.GeoDataFrame({"pcode": ["A", "B"]}, geometry=[clockwise, counter], crs="EPSG:4326")
    for geometry in web_geometries(frame, tolerance_deg=0.001):
        for polygon in geometry.geoms:
            assert shapely.is_ccw(polygon.exterior)
