"""Repairs of invalid zone geometries: to what the person meant, each change said, the work bounded (issue 11
items 5, 8 and 9). Pure GEOS/GDAL, no database."""
import re

import pytest
from django.contrib.gis.geos import Point

from geo_backend.zones.geometry import MAX_PARTS, parse_zone_geometry
from geo_backend.zones.geometry_repair import MAX_REPAIR_CROSSINGS

from .test_geometry import X0, Y0, assert_valid_result, polygon, refused, ring

# Issue 11 item 8: a repair gives what the person meant, and says what it changed.

def test_parts_overlapping_at_a_corner_cover_their_union_not_their_difference():
    # Two 0.5° squares sharing a 0.25° corner square: the union is 0.4375 deg²; an even-odd repair (GEOS
    # "linework") would cut the shared corner out and keep 0.375.
    data = {"type": "MultiPolygon", "coordinates": [[ring()], [ring(X0 + 0.25, Y0 + 0.25)]]}
    result = parse_zone_geometry(data)
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.4375)
    assert result.geom.contains(Point(X0 + 0.35, Y0 + 0.35))  # inside the shared corner: covered, not cut out
    (note,) = result.repairs
    assert note["code"] == "parts_merged"
    assert "1 et 2" in note["fr"] and "1 and 2" in note["en"]
    assert "km²" in note["fr"] and "counted once" in note["en"]


def test_a_part_drawn_inside_another_is_absorbed_not_cut_out():
    data = {"type": "MultiPolygon", "coordinates": [[ring()], [ring(X0 + 0.1, Y0 + 0.1, 0.2)]]}
    result = parse_zone_geometry(data)
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.25)
    assert len(result.geom) == 1 and len(result.geom[0]) == 1  # one polygon, no hole
    assert [note["code"] for note in result.repairs] == ["parts_merged"]


def test_a_hole_drawn_outside_its_outline_is_dropped_not_turned_into_area():
    stray_hole = ring(X0 + 1, Y0, 0.2)[::-1]
    result = parse_zone_geometry(polygon(ring(), stray_hole))
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.25)
    assert result.geom.extent == (X0, Y0, X0 + 0.5, Y0 + 0.5)
    (note,) = result.repairs
    assert note["code"] == "hole_outside_dropped"
    assert "trou n° 1" in note["fr"] and "Hole 1" in note["en"]


def test_a_hole_partly_outside_its_outline_removes_only_what_lies_inside():
    hole = ring(X0 + 0.4, Y0 + 0.1, 0.2)[::-1]  # half of it sticks out of the east side
    result = parse_zone_geometry(polygon(ring(), hole))
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.25 - 0.02)
    assert result.geom.extent == (X0, Y0, X0 + 0.5, Y0 + 0.5)
    assert [note["code"] for note in result.repairs] == ["hole_clipped"]


def test_the_hole_of_one_part_is_filled_by_another_part():
    # Part 2 fills part 1's hole exactly: together they cover the whole square (holes belong to their own part).
    hole = ring(X0 + 0.1, Y0 + 0.1, 0.2)
    data = {"type": "MultiPolygon", "coordinates": [[ring(), hole[::-1]], [ring(X0 + 0.05, Y0 + 0.05, 0.3)]]}
    result = parse_zone_geometry(data)
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.25)
    assert [note["code"] for note in result.repairs] == ["parts_merged"]


def test_parts_sharing_an_edge_are_joined_without_changing_the_area():
    data = {"type": "MultiPolygon", "coordinates": [[ring()], [ring(X0 + 0.5, Y0)]]}
    result = parse_zone_geometry(data)
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.5)
    assert [note["code"] for note in result.repairs] == ["made_valid"]
    assert "without changing the area" in result.repairs[0]["en"]


# Issue 11 item 9: GPS and KML exports carry altitude.

def test_altitudes_are_dropped_and_the_zone_accepted_with_a_note():
    result = parse_zone_geometry(polygon([[x, y, 300.0] for x, y in ring()]))
    assert_valid_result(result)
    assert result.geom.area == pytest.approx(0.25)
    assert [note["code"] for note in result.repairs] == ["altitude_dropped"]
    assert "altitude" in result.repairs[0]["fr"] and "elevation" in result.repairs[0]["en"]


def test_altitude_on_some_positions_only_and_an_invalid_shape_give_both_notes():
    bow_tie = [[X0, Y0, 12.5], [X0 + 0.5, Y0 + 0.5], [X0 + 0.5, Y0, 0], [X0, Y0 + 0.5], [X0, Y0, 12.5]]
    result = parse_zone_geometry(polygon(bow_tie))
    assert_valid_result(result)
    assert [note["code"] for note in result.repairs] == ["altitude_dropped", "ring_self_intersection"]


# Issue 11 item 5: bounded work.

def random_ring(vertices: int, seed: int = 7) -> list:
    """A ring through random points in a 0.5° square: its edges cross each other about vertices² / 10 times."""
    import random

    rng = random.Random(seed)
    points = [[X0 + 0.5 * rng.random(), Y0 + 0.5 * rng.random()] for _ in range(vertices)]
    return points + [points[0]]


def test_a_ring_crossing_itself_in_a_few_places_is_repaired():
    result = parse_zone_geometry(polygon(random_ring(40)))
    assert_valid_result(result)
    assert [note["code"] for note in result.repairs] == ["ring_self_intersection"]


@pytest.mark.parametrize("vertices", [300, 10_000])
def test_a_ring_crossing_itself_in_thousands_of_places_is_refused_not_repaired(vertices):
    # Repairing these took minutes (and the database minutes more); they are refused before any repair starts.
    error = refused(polygon(random_ring(vertices)), "geometry_repair_too_complex")
    assert "QGIS" in error.message_fr and "QGIS" in error.message_en
    assert error.details.get("estimated_crossings", MAX_REPAIR_CROSSINGS + 1) > MAX_REPAIR_CROSSINGS


def test_as_many_parts_as_allowed_are_accepted():
    parts = [[ring(X0 + (i % 25) * 0.02, Y0 + (i // 25) * 0.02, 0.01)] for i in range(MAX_PARTS)]
    result = parse_zone_geometry({"type": "MultiPolygon", "coordinates": parts})
    assert_valid_result(result)
    assert len(result.geom) == MAX_PARTS


def test_too_many_parts_are_refused():
    parts = [[ring(X0 + (i % 25) * 0.02, Y0 + (i // 25) * 0.02, 0.01)] for i in range(MAX_PARTS + 1)]
    error = refused({"type": "MultiPolygon", "coordinates": parts}, "geometry_too_many_parts")
    assert error.details == {"parts": MAX_PARTS + 1, "max_parts": MAX_PARTS}


def test_the_areas_in_the_notes_are_written_as_each_language_writes_numbers():
    # Two 1° squares overlapping by half: about 6,000 km² counted once.
    data = {"type": "MultiPolygon", "coordinates": [[ring(X0, Y0, 1.0)], [ring(X0 + 0.5, Y0, 1.0)]]}
    (note,) = parse_zone_geometry(data).repairs
    assert re.search(r"\(\d[\u00a0\u202f ]\d{3},\d{2} km²\)", note["fr"]), note["fr"]
    assert re.search(r"\(\d,\d{3}\.\d{2} km²\)", note["en"]), note["en"]
