"""Saving a zone stores what the person meant, in one statement, by the same rule the preview shows; a request
that runs past its time limit answers 503 (issues 11 and 12)."""
import json

import psycopg
import pytest
from django.db import connection
from django.test import override_settings

from geo_backend.analytics.services import ATOMS_LOCK_NAMESPACE
from geo_backend.regions.models import AdminUnit
from geo_backend.zones.models import Zone, ZoneCommune
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def square(lon: float, lat: float, size: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


def sql_value(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def area_km2(geojson: dict) -> float:
    return sql_value("SELECT musoya_area_km2(ST_UnaryUnion(ST_GeomFromGeoJSON(%s)))", [json.dumps(geojson)])


@pytest.fixture
def editor():
    return factories.user()


@pytest.fixture
def intervention(editor):
    return factories.intervention_in_units(factories.organisation(editor=editor), state="draft")


def save(editor, intervention, geometry) -> dict:
    response = factories.api_client(editor).post(
        "/api/v1/zones/", {"intervention": intervention.id, "method": "drawn", "geometry": geometry}, format="json")
    assert response.status_code == 201, response.content[:400]
    return response.json()


# --- Issue 12: one rule for the commune pieces, one statement for a new zone --------------------------------

def test_for_a_tiny_zone_the_preview_lists_the_communes_that_saving_stores(mali, editor, intervention):
    # A 1.2 m square (about 1.4 m², just above the smallest zone accepted) on the border between two communes of
    # Ségou: each piece is under 1 m².
    lon, lat = sql_value(
        "SELECT ARRAY[ST_X(p), ST_Y(p)] FROM (SELECT ST_LineInterpolatePoint(ST_ExteriorRing(ST_GeometryN(geom, 1)), "
        "0.37) AS p FROM regions_adminunit WHERE pcode = 'ML040224' AND level = 3) s", [])
    tiny = square(lon - 5.5e-6, lat - 5.5e-6, 1.1e-5)
    api = factories.api_client(editor)
    preview = api.post("/api/v1/zones/preview/", {"method": "drawn", "geometry": tiny}, format="json")
    assert preview.status_code == 200, preview.content[:400]
    saved = save(editor, intervention, tiny)

    previewed = preview.json()["properties"]["communes"]
    assert previewed, "the preview lists the communes the tiny zone lies in"
    assert saved["properties"]["communes"] == previewed
    stored = ZoneCommune.objects.filter(zone_id=saved["id"]).order_by("commune__pcode")
    assert [(c.commune.pcode, round(c.share, 4)) for c in stored] == [(c["pcode"], c["share"]) for c in previewed]


def test_a_new_zone_has_no_version_without_its_geometry_in_its_history(mali, editor, intervention):
    saved = save(editor, intervention, square(-6.3, 13.4, 0.1))
    events = Zone.pgh_event_models["insert"].objects.filter(pgh_obj_id=saved["id"]).order_by("pgh_id")
    assert [e.pgh_label for e in events][:1] == ["insert"]
    for event in events:
        assert not event.geom.empty and not event.coarse_geom.empty and event.area_km2 > 0, event.pgh_label
    first = events[0]
    zone = Zone.objects.get(pk=saved["id"])
    assert (first.geom.equals_exact(zone.geom), first.area_km2) == (True, zone.area_km2)


def test_an_updated_zone_has_no_version_without_its_geometry_either(mali, editor, intervention):
    saved = save(editor, intervention, square(-6.3, 13.4, 0.1))
    api = factories.api_client(editor)
    response = api.put(f"/api/v1/zones/{saved['id']}/", {"method": "drawn", "geometry": square(-6.2, 13.4, 0.05)},
                       HTTP_IF_MATCH=f'"zone-{saved["id"]}-v1"', format="json")
    assert response.status_code == 200, response.content[:300]
    events = Zone.pgh_event_models["insert"].objects.filter(pgh_obj_id=saved["id"])
    assert all(not e.geom.empty for e in events)
    assert ZoneCommune.objects.filter(zone_id=saved["id"]).count() >= 1


# --- Issue 11 items 8 and 9: what the person meant, said in the answer --------------------------------------

def test_overlapping_parts_are_stored_as_their_union_and_the_answer_says_so(mali, editor, intervention):
    parts = {"type": "MultiPolygon", "coordinates": [square(-6.3, 13.4, 0.1)["coordinates"],
                                                     square(-6.25, 13.45, 0.1)["coordinates"]]}
    saved = save(editor, intervention, parts)
    assert saved["properties"]["area_km2"] == pytest.approx(area_km2(parts), rel=1e-4)
    assert area_km2(parts) > 1.3 * area_km2(square(-6.3, 13.4, 0.1))  # the union, not the parts minus overlap
    assert [note["code"] for note in saved["properties"]["repairs"]] == ["parts_merged"]


def test_a_zone_from_a_gps_file_with_altitudes_is_accepted_in_2d(mali, editor, intervention):
    with_altitude = {"type": "Polygon", "coordinates": [[[x, y, 287.5] for x, y in
                                                         square(-6.3, 13.4, 0.1)["coordinates"][0]]]}
    saved = save(editor, intervention, with_altitude)
    assert [note["code"] for note in saved["properties"]["repairs"]] == ["altitude_dropped"]
    zone = Zone.objects.get(pk=saved["id"])
    assert not zone.geom.hasz
    assert zone.area_km2 == pytest.approx(area_km2(square(-6.3, 13.4, 0.1)), rel=1e-6)


def test_the_preview_shows_the_same_repairs_as_saving(mali, editor):
    stray_hole = {"type": "Polygon", "coordinates": [square(-6.3, 13.4, 0.1)["coordinates"][0],
                                                     square(-6.0, 13.4, 0.05)["coordinates"][0][::-1]]}
    response = factories.api_client(editor).post("/api/v1/zones/preview/", {"method": "drawn", "geometry": stray_hole},
                                                 format="json")
    assert response.status_code == 200
    assert [note["code"] for note in response.json()["properties"]["repairs"]] == ["hole_outside_dropped"]
    assert response.json()["properties"]["area_km2"] == pytest.approx(area_km2(square(-6.3, 13.4, 0.1)), rel=1e-3)


# --- Issue 11 item 5: a statement time limit per request -----------------------------------------------------

@override_settings(WEB_STATEMENT_TIMEOUT_MS={"read": 20_000, "write": 1_000})
def test_a_write_stuck_past_its_time_limit_answers_503_and_writes_nothing(mali, editor, intervention):
    """Another session holds the coverage lock of the commune: the save waits, and is cancelled at the limit.
    (Not the fixture's commune, ML040224: this test's transaction holds that lock until it ends. A small square
    inside the commune, not the whole commune: a zone covering its whole commune leaves the atoms alone.)"""
    commune = AdminUnit.objects.get(edition=mali, level=3, pcode="ML040201")
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM regions_adminunit"
                       " WHERE id = %s) s", [commune.id])
        x, y = cursor.fetchone()
    square = {"type": "Polygon", "coordinates": [[[x - 0.01, y - 0.01], [x + 0.01, y - 0.01], [x + 0.01, y + 0.01],
                                                  [x - 0.01, y + 0.01], [x - 0.01, y - 0.01]]]}
    before = factories.registry_snapshot()
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [ATOMS_LOCK_NAMESPACE, commune.id])
        response = factories.api_client(editor).post(
            "/api/v1/zones/", {"intervention": intervention.id, "method": "drawn", "geometry": square},
            format="json")
    assert response.status_code == 503, response.content[:300]
    body = response.json()
    assert body["code"] == "database_timeout"
    assert body["message"]["fr"] and body["message"]["en"] and body["message"]["fr"] != body["message"]["en"]
    assert factories.registry_snapshot() == before
