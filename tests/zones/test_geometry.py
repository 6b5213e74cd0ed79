"""Validation of user-sent zone geometries (pure GEOS/GDAL, no database)."""
import json
import math

import pytest
from django.contrib.gis.geos import MultiPolygon
from hypothesis import given, settings
from hypothesis import strategies as st

from geo_backend.common.errors import DomainError
from geo_backend.zones.geometry import MALI_BOUNDS, MAX_VERTICES, ParsedGeometry, parse_zone_geometry

X0, Y0 = -6.5, 13.0  # Ségou square: -6.5..-6.0 lon, 13.0..13.5 lat


def ring(x0=X0, y0=Y0, size=0.5):
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def polygon(*rings, **members):
    return {"type": "Polygon", "coordinates": list(rings) or [ring()], **members}


def circle(n, cx=-6.25, cy=13.25, r=0.2):
    """A closed ring of n positions (n - 1 distinct vertices)."""
    points = [[cx + r * math.cos(2 * math.pi * i / (n - 1)), cy + r * math.sin(2 * math.pi * i / (n - 1))]
              for i in range(n - 1)]
    return points + [points[0]]


def mercator(lon, lat):
    """EPSG:3857 from lon/lat by the spherical formula, independent of GDAL."""
    radius = 6378137.0
    return [radius * math.radians(lon), radius * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))]


def refused(data, code) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse_zone_geometry(data)
    error = caught.value
    assert error.code == code
    assert error.status_code == 400
    assert error.message_fr and error.message_en and error.message_fr != error.message_en
    return error


def assert_valid_result(result: ParsedGeometry):
    assert isinstance(result.geom, MultiPolygon)
    assert result.geom.srid == 4326
    assert result.geom.valid
    assert not result.geom.hasz
    for note in result.repairs:
        assert set(note) == {"code", "fr", "en"} and note["fr"] != note["en"]


# --- accepted ---------------------------------------------------------------------------------------------

def test_valid_polygon_near_segou_passes_unchanged():
    result = parse_zone_geometry(polygon())
    assert_valid_result(result)
    assert result.repairs == []
    assert result.geom.area == pytest.approx(0.25, abs=1e-12)
    assert result.geom.extent == (-6.5, 13.0, -6.0, 13.5)


def test_json_string_input():
    result = parse_zone_geometry(json.dumps(polygon()))
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.25)


def test_feature_wrapper_takes_its_geometry():
    result = parse_zone_geometry({"type": "Feature", "properties": {"name": "Ségou"}, "geometry": polygon()})
    assert_valid_result(result)
    assert result.repairs == []
    assert result.geom.area == pytest.approx(0.25)


def test_multipolygon_with_two_parts_passes():
    data = {"type": "MultiPolygon", "coordinates": [[ring()], [ring(X0 + 1, Y0)]]}
    result = parse_zone_geometry(data)
    assert_valid_result(result)
    assert result.repairs == []
    assert len(result.geom) == 2
    assert result.geom.area == pytest.approx(0.5)


def test_polygon_with_hole_passes():
    hole = [[-6.4, 13.1], [-6.4, 13.2], [-6.3, 13.2], [-6.3, 13.1], [-6.4, 13.1]]
    result = parse_zone_geometry(polygon(ring(), hole))
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.25 - 0.01)


def test_exactly_max_vertices_is_accepted():
    result = parse_zone_geometry(polygon(circle(MAX_VERTICES)))
    assert_valid_result(result)
    assert result.geom.num_coords == MAX_VERTICES


def test_bow_tie_is_repaired_with_a_note_saying_where_it_crossed_itself():
    bow_tie = [[X0, Y0], [X0 + 0.5, Y0 + 0.5], [X0 + 0.5, Y0], [X0, Y0 + 0.5], [X0, Y0]]
    result = parse_zone_geometry(polygon(bow_tie))
    assert_valid_result(result)
    assert [note["code"] for note in result.repairs] == ["ring_self_intersection"]
    assert "(-6.25000, 13.25000)" in result.repairs[0]["fr"] and "(-6.25000, 13.25000)" in result.repairs[0]["en"]
    assert len(result.geom) == 2  # two triangles
    assert result.geom.area == pytest.approx(0.125)


def test_overlapping_parts_are_merged_by_the_repair():
    data = {"type": "MultiPolygon", "coordinates": [[ring()], [ring(X0 + 0.25, Y0)]]}
    result = parse_zone_geometry(data)
    assert_valid_result(result)
    assert [note["code"] for note in result.repairs] == ["parts_merged"]
    assert result.geom.area == pytest.approx(0.375)


def test_repair_keeps_only_polygonal_parts_of_a_collection():
    # A dangling spike encloses no area: it must be dropped, and the polygons (one per part here) kept as one
    # MultiPolygon.
    spike = [[X0, Y0], [X0 + 0.5, Y0], [X0 + 0.5, Y0 + 0.5], [X0, Y0 + 0.5], [X0, Y0], [X0 - 0.2, Y0 - 0.2], [X0, Y0]]
    data = {"type": "MultiPolygon", "coordinates": [[spike], [ring(X0 + 1, Y0)]]}
    result = parse_zone_geometry(data)
    assert_valid_result(result)
    assert [note["code"] for note in result.repairs] == ["ring_self_intersection"]
    assert "partie 1" in result.repairs[0]["fr"] and "part 1" in result.repairs[0]["en"]
    assert len(result.geom) == 2
    assert result.geom.area == pytest.approx(0.5)


def test_web_mercator_with_crs_member_is_reprojected():
    coordinates = [mercator(lon, lat) for lon, lat in ring()]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    result = parse_zone_geometry(polygon(coordinates, crs=crs))
    assert_valid_result(result)
    assert [note["code"] for note in result.repairs] == ["reprojected"]
    for (lon, lat), (x, y) in zip(ring(), result.geom[0][0].coords, strict=True):
        assert x == pytest.approx(lon, abs=1e-6) and y == pytest.approx(lat, abs=1e-6)


def test_utm_crs_as_a_plain_string_on_the_feature_is_reprojected():
    # Easting 500 000 m is the central meridian of UTM zone 30N: longitude -3° exactly, whatever the northing.
    square = [[500000, 1400000], [510000, 1400000], [510000, 1410000], [500000, 1410000], [500000, 1400000]]
    result = parse_zone_geometry({"type": "Feature", "crs": "EPSG:32630", "geometry": polygon(square)})
    assert_valid_result(result)
    assert [note["code"] for note in result.repairs] == ["reprojected"]
    xmin, ymin, _, _ = result.geom.extent
    assert xmin == pytest.approx(-3.0, abs=1e-6)
    assert 12.0 < ymin < 13.5


@pytest.mark.parametrize("name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"])
def test_wgs84_crs_names_need_no_reprojection(name):
    result = parse_zone_geometry(polygon(crs={"type": "name", "properties": {"name": name}}))
    assert result.repairs == []
    assert result.geom.extent == (-6.5, 13.0, -6.0, 13.5)


@settings(max_examples=60, deadline=None, database=None)  # database=None: no .hypothesis folder in the repo
@given(
    x=st.floats(MALI_BOUNDS[0], MALI_BOUNDS[2] - 0.01), y=st.floats(MALI_BOUNDS[1], MALI_BOUNDS[3] - 0.01),
    width=st.floats(0.001, 5.0), height=st.floats(0.001, 5.0),
)
def test_random_rectangles_inside_mali_parse_unchanged(x, y, width, height):
    x1, y1 = min(x + width, MALI_BOUNDS[2]), min(y + height, MALI_BOUNDS[3])
    rectangle = [[x, y], [x1, y], [x1, y1], [x, y1], [x, y]]
    result = parse_zone_geometry(polygon(rectangle))
    assert isinstance(result.geom, MultiPolygon) and result.geom.srid == 4326
    assert result.repairs == []
    assert result.geom.area == pytest.approx((x1 - x) * (y1 - y), abs=1e-9)


# --- refused ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    "{not json", "", 42, None, [1, 2], "[1, 2]",
    {"coordinates": [ring()]},
    {"type": "Polygonal", "coordinates": [ring()]},
    {"type": ["Polygon"], "coordinates": [ring()]},
    {"type": "Polygon"},
    {"type": "Polygon", "coordinates": "0 0, 1 1"},
    {"type": "MultiPolygon", "coordinates": [ring()]},
    {"type": "Feature", "geometry": "POLYGON((0 0, 1 0, 1 1, 0 0))"},
], ids=["broken", "blank", "number", "none", "list", "json-list", "no-type", "unknown-type", "type-not-string",
        "no-coordinates", "coordinates-string", "multipolygon-one-level-short", "feature-geometry-string"])
def test_not_a_geojson_geometry(data):
    refused(data, "geometry_invalid_json")


@pytest.mark.parametrize("bad", [True, "-6.5", None, [1]], ids=["bool", "string", "null", "list"])
def test_coordinates_must_be_numbers(bad):
    coordinates = ring()
    coordinates[1] = [bad, Y0]
    refused(polygon(coordinates), "geometry_invalid_json")


def test_non_finite_numbers_are_refused():
    refused('{"type": "Polygon", "coordinates": [[[NaN, 13], [-6, 13], [-6, 13.5], [NaN, 13]]]}',
            "geometry_invalid_json")
    refused(polygon([[10 ** 400, 13], [-6, 13], [-6, 13.5], [10 ** 400, 13]]), "geometry_invalid_json")


def test_position_with_one_number_is_refused():
    refused(polygon([[X0], [X0 + 0.5, Y0], [X0, Y0 + 0.5], [X0]]), "geometry_invalid_json")


def test_feature_collection_is_refused():
    feature = {"type": "Feature", "properties": {}, "geometry": polygon()}
    refused({"type": "FeatureCollection", "features": [feature]}, "geometry_feature_collection")


@pytest.mark.parametrize("data", [
    {"type": "Point", "coordinates": [-6.26, 13.43]},
    {"type": "LineString", "coordinates": [[-6.5, 13.0], [-6.0, 13.5]]},
    {"type": "MultiPoint", "coordinates": [[-6.5, 13.0], [-6.0, 13.5]]},
    {"type": "MultiLineString", "coordinates": [[[-6.5, 13.0], [-6.0, 13.5]]]},
], ids=lambda data: data["type"])
def test_non_polygonal_types_are_refused(data):
    error = refused(data, "geometry_not_polygon")
    assert error.message_fr.startswith("La zone doit être un polygone")


def test_geometry_collection_is_refused():
    refused({"type": "GeometryCollection", "geometries": [polygon()]}, "geometry_collection")


@pytest.mark.parametrize("data", [
    {"type": "Polygon", "coordinates": []},
    {"type": "Polygon", "coordinates": [[]]},
    {"type": "MultiPolygon", "coordinates": []},
    {"type": "MultiPolygon", "coordinates": [[]]},
    {"type": "MultiPolygon", "coordinates": [[ring()], []]},
    {"type": "Feature", "properties": {}, "geometry": None},
], ids=["polygon", "polygon-no-position", "multipolygon", "multipolygon-empty-part", "one-empty-part",
        "feature-null-geometry"])
def test_empty_geometry_is_refused(data):
    refused(data, "geometry_empty")


@pytest.mark.parametrize("rings", [
    [ring()[:-1]],  # last position missing
    [[[X0, Y0], [X0 + 0.5, Y0], [X0, Y0]]],  # closed but only 3 positions
    [ring(), []],  # a hole with no position at all
    [ring(), [[-6.4, 13.1], [-6.4, 13.2], [-6.3, 13.2], [-6.3, 13.1]]],  # hole not closed
], ids=["open", "three-positions", "empty-hole", "open-hole"])
def test_ring_not_closed_is_refused(rings):
    refused({"type": "Polygon", "coordinates": rings}, "geometry_ring_not_closed")


def test_too_many_vertices_is_refused():
    error = refused(polygon(circle(MAX_VERTICES + 1)), "geometry_too_complex")
    assert str(MAX_VERTICES) in error.message_fr and str(MAX_VERTICES) in error.message_en
    assert error.details["max_vertices"] == MAX_VERTICES


@pytest.mark.parametrize("crs", [
    {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
    {"type": "name", "properties": {"name": "Lambert du Mali"}},
    {"type": "link", "properties": {"href": "http://example.org/crs", "type": "proj4"}},
    "EPSG:abc",
    42,
], ids=["unknown-code", "free-text", "link", "garbled-string", "number"])
def test_unintelligible_crs_is_refused(crs):
    refused(polygon(crs=crs), "geometry_crs_unknown")


def test_projected_coordinates_without_crs_are_refused():
    error = refused(polygon([mercator(lon, lat) for lon, lat in ring()]), "geometry_crs_unknown")
    assert "WGS 84" in error.message_fr and "WGS 84" in error.message_en


def test_swapped_axes_are_refused():
    swapped = [[lat, lon] for lon, lat in ring()]
    error = refused(polygon(swapped), "geometry_axis_swapped")
    assert "longitude" in error.message_fr and "longitude first" in error.message_en


def test_zone_entirely_outside_mali_is_refused():
    paris = ring(2.2, 48.8, 0.2)
    refused(polygon(paris), "geometry_outside_mali")


@pytest.mark.parametrize("coordinates", [
    [[X0, Y0], [X0, Y0], [X0, Y0], [X0, Y0]],  # a single point, repeated
    [[X0, Y0], [X0 + 0.2, Y0], [X0 + 0.4, Y0], [X0, Y0]],  # collinear: no area at all
], ids=["point", "line"])
def test_unrepairable_geometry_is_refused(coordinates):
    error = refused(polygon(coordinates), "geometry_invalid_unrepairable")
    assert error.details["reason"]


def test_a_zone_of_less_than_a_square_metre_is_refused_and_one_of_a_few_is_kept():
    error = refused(polygon(ring(X0, Y0, 0.000005)), "geometry_too_small")  # 0.5 m a side
    assert 0 < error.details["area_m2"] < 1
    assert parse_zone_geometry(polygon(ring(X0, Y0, 0.00003))).geom.area > 0  # 3 m a side
