"""The intervention and zone API: optimistic locking, bad geometries, what each audience sees, filters, paging."""
import json
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geo_backend.zones import services
from geo_backend.zones.models import Intervention, Zone
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def square(lon: float, lat: float, size: float = 0.1) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


KAYES_SQUARE = square(-11.5, 14.4)


def sql_value(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def area_km2(geojson: dict) -> float:
    return sql_value("SELECT ST_Area(ST_GeomFromGeoJSON(%s)::geography) / 1e6", [json.dumps(geojson)])


@pytest.fixture
def editor():
    return factories.user()


@pytest.fixture
def org(editor):
    return factories.organisation(editor=editor)


# --- Optimistic locking -------------------------------------------------------------------------------------

def test_two_patches_of_the_same_version_one_saves_the_other_gets_412_with_the_current_record(mali, editor, org):
    intervention = factories.intervention_in_units(org, state="draft")
    api = factories.api_client(editor)
    read = api.get(f"/api/v1/interventions/{intervention.id}/")
    first = api.patch(f"/api/v1/interventions/{intervention.id}/", {"title": "Version de Awa"},
                      HTTP_IF_MATCH=read["ETag"], format="json")
    second = api.patch(f"/api/v1/interventions/{intervention.id}/", {"title": "Version de Fatou"},
                       HTTP_IF_MATCH=read["ETag"], format="json")
    assert (first.status_code, second.status_code) == (200, 412)
    assert second.json()["code"] == "stale_version"
    current = second.json()["details"]["current"]
    assert (current["id"], current["title"], current["version"]) == (intervention.id, "Version de Awa", 2)
    assert Intervention.objects.get(pk=intervention.pk).title == "Version de Awa"


def test_the_current_record_of_a_412_reads_like_a_get(mali, editor, org):
    intervention = factories.intervention_in_units(org, state="draft")
    api = factories.api_client(editor)
    etag = api.get(f"/api/v1/interventions/{intervention.id}/")["ETag"]
    api.patch(f"/api/v1/interventions/{intervention.id}/", {"title": "Première"}, HTTP_IF_MATCH=etag, format="json")
    stale = api.patch(f"/api/v1/interventions/{intervention.id}/", {"title": "Seconde"}, HTTP_IF_MATCH=etag,
                      format="json")
    assert stale.json()["details"]["current"] == api.get(f"/api/v1/interventions/{intervention.id}/").json()


def test_two_puts_of_the_same_zone_version_one_saves_the_other_gets_412_with_the_current_feature(mali, editor, org):
    zone = factories.intervention_in_units(org, state="draft").zones.get()
    api = factories.api_client(editor)
    etag = api.get(f"/api/v1/zones/{zone.id}/")["ETag"]
    first = api.put(f"/api/v1/zones/{zone.id}/", {"method": "picked", "units": ["ML040223"]}, HTTP_IF_MATCH=etag,
                    format="json")
    second = api.put(f"/api/v1/zones/{zone.id}/", {"method": "picked", "units": ["ML040219"]}, HTTP_IF_MATCH=etag,
                     format="json")
    assert (first.status_code, second.status_code) == (200, 412)
    assert second.json()["code"] == "stale_version"
    current = second.json()["details"]["current"]
    assert current["type"] == "Feature" and current["id"] == zone.id
    assert current["properties"]["zone_version"] == 2
    assert current["geometry"] == first.json()["geometry"]
    assert list(Zone.objects.get(pk=zone.pk).picked_units.values_list("pcode", flat=True)) == ["ML040223"]


@pytest.mark.parametrize(("method", "url", "body"), [
    ("patch", "/api/v1/interventions/{intervention}/", {"title": "Sans version"}),
    ("delete", "/api/v1/interventions/{intervention}/", {}),
    ("post", "/api/v1/interventions/{intervention}/submit/", {}),
    ("put", "/api/v1/zones/{zone}/", {"method": "picked", "units": ["ML040223"]}),
    ("delete", "/api/v1/zones/{zone}/", {}),
    ("patch", "/api/v1/organisations/{org}/", {"name": "Sans version"}),
], ids=["PATCH intervention", "DELETE intervention", "submit", "PUT zone", "DELETE zone", "PATCH organisation"])
def test_a_write_without_if_match_or_version_is_refused_with_428(mali, editor, org, method, url, body):
    intervention = factories.intervention_in_units(org, state="draft")
    url = url.format(intervention=intervention.id, zone=intervention.zones.get().id, org=org.id)
    before = factories.registry_snapshot()
    response = getattr(factories.api_client(editor), method)(url, body, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "version_required"
    assert factories.registry_snapshot() == before


# --- Bad geometries -----------------------------------------------------------------------------------------

def circle(positions: int, lon=-6.25, lat=13.45, radius=0.02) -> dict:
    """A closed ring of `positions` positions."""
    n = positions - 1
    ring = [[round(lon + radius * math.cos(2 * math.pi * i / n), 6),
             round(lat + radius * math.sin(2 * math.pi * i / n), 6)] for i in range(n)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def tangled_ring(positions: int) -> dict:
    """A ring through scattered points of a 0.1° square near Ségou: its edges cross each other thousands of times."""
    ring = [[round(-6.3 + 0.1 * (i * 7919 % 997) / 997, 6), round(13.4 + 0.1 * (i * 104729 % 991) / 991, 6)]
            for i in range(positions)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def segou_ring():
    return factories.SEGOU_SQUARE["coordinates"][0]


BAD_GEOMETRIES = {
    "a point": ({"type": "Point", "coordinates": [-6.25, 13.45]}, "geometry_not_polygon"),
    "a line": ({"type": "LineString", "coordinates": segou_ring()}, "geometry_not_polygon"),
    "empty": ({"type": "Polygon", "coordinates": []}, "geometry_empty"),
    "unclosed ring": ({"type": "Polygon", "coordinates": [segou_ring()[:-1]]}, "geometry_ring_not_closed"),
    "latitude and longitude swapped": ({"type": "Polygon", "coordinates": [[[y, x] for x, y in segou_ring()]]},
                                       "geometry_axis_swapped"),
    "outside Mali (Dakar)": (square(-17.5, 14.65), "geometry_outside_mali"),
    "beyond the border, inside Mali's bounding box (Ouagadougou)": (square(-1.6, 12.3), "geometry_outside_mali"),
    "metres (UTM 30N) without a crs": (
        {"type": "Polygon", "coordinates": [[[797000, 1485000], [808000, 1485000], [808000, 1496000],
                                             [797000, 1496000], [797000, 1485000]]]}, "geometry_crs_unknown"),
    "more than 50,000 vertices": (circle(50_002), "geometry_too_complex"),
    "more than 500 parts": ({"type": "MultiPolygon", "coordinates": [
        square(-6.3 + (i % 25) * 0.01, 13.4 + (i // 25) * 0.01, size=0.005)["coordinates"] for i in range(501)]},
        "geometry_too_many_parts"),
    "a ring crossing itself thousands of times": (tangled_ring(1000), "geometry_repair_too_complex"),
    "a GeometryCollection": ({"type": "GeometryCollection", "geometries": [factories.SEGOU_SQUARE]},
                             "geometry_collection"),
}


@pytest.mark.parametrize(("geometry", "code"), BAD_GEOMETRIES.values(), ids=BAD_GEOMETRIES.keys())
def test_a_bad_drawn_geometry_is_refused_with_its_code_and_writes_nothing(mali, editor, org, geometry, code):
    intervention = factories.intervention_in_units(org, state="draft")
    before = factories.registry_snapshot()
    response = factories.api_client(editor).post(
        "/api/v1/zones/", {"intervention": intervention.id, "method": "drawn", "geometry": geometry}, format="json")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == code
    assert body["message"]["fr"] and body["message"]["en"] and body["message"]["fr"] != body["message"]["en"]
    assert factories.registry_snapshot() == before


def test_a_self_intersecting_zone_is_repaired_and_the_answer_says_so(mali, editor, org):
    intervention = factories.intervention_in_units(org, state="draft")
    bow_tie = {"type": "Polygon", "coordinates": [[[-6.3, 13.4], [-6.2, 13.5], [-6.2, 13.4], [-6.3, 13.5],
                                                   [-6.3, 13.4]]]}
    response = factories.api_client(editor).post(
        "/api/v1/zones/", {"intervention": intervention.id, "method": "drawn", "geometry": bow_tie}, format="json")
    assert response.status_code == 201, response.json()
    repairs = response.json()["properties"]["repairs"]
    assert [note["code"] for note in repairs] == ["ring_self_intersection"]
    assert repairs[0]["fr"] and repairs[0]["en"]
    zone = Zone.objects.get(pk=response.json()["id"])
    assert zone.geom.valid and zone.geom.num_geom == 2  # the bow-tie's two triangles


def test_a_zone_half_outside_mali_is_clipped_to_the_border(mali, editor, org):
    intervention = factories.intervention_in_units(org, state="draft")
    straddling = square(-12.5, 14.0, size=0.6)  # about a third of it lies in Mali, the rest in Senegal
    response = factories.api_client(editor).post(
        "/api/v1/zones/", {"intervention": intervention.id, "method": "drawn", "geometry": straddling},
        format="json")
    assert response.status_code == 201, response.json()
    zone = Zone.objects.get(pk=response.json()["id"])
    assert 0.1 * area_km2(straddling) < zone.area_km2 < 0.6 * area_km2(straddling)
    # Within the country: the intersection's vertices on the border carry floating-point noise, so the strict
    # ST_CoveredBy is checked against the country grown by 1e-9° (0.1 mm).
    assert sql_value("SELECT ST_CoveredBy(z.geom, ST_Buffer(c.geom, 1e-9)) FROM zones_zone z, regions_adminunit c "
                     "WHERE z.id = %s AND c.edition_id = z.edition_id AND c.level = 0", [zone.id])


@pytest.mark.parametrize(("zone", "code"), [
    ({"method": "picked", "units": ["ML040224", "ML999999"]}, "pcode_unknown"),
    ({"method": "buffer", "locality": "ML010101001", "radius_km": 0}, "radius_invalid"),
    ({"method": "buffer", "locality": "ML010101001", "radius_km": 500}, "radius_invalid"),
], ids=["unknown P-code", "radius 0", "radius 500 km"])
def test_bad_picked_units_or_radius_are_refused(mali, editor, org, zone, code):
    intervention = factories.intervention_in_units(org, state="draft")
    before = factories.registry_snapshot()
    response = factories.api_client(editor).post("/api/v1/zones/", {"intervention": intervention.id, **zone},
                                                 format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert set(response.json()["message"]) == {"fr", "en"}
    assert factories.registry_snapshot() == before
    if code == "pcode_unknown":
        assert response.json()["details"]["unknown_pcodes"] == ["ML999999"]


# --- What each audience sees --------------------------------------------------------------------------------

@pytest.fixture
def people(mali, editor, org):
    """Who looks: visitor, the owner's editor, the coordinator of its network, a donor, another org's editor, the
    coordinator of a network the owner does not belong to."""
    coordinator, other_coordinator = factories.user(), factories.user()
    factories.network(coordinator=coordinator, members=[org])
    other_editor = factories.user()
    factories.network(coordinator=other_coordinator, members=[factories.organisation(editor=other_editor)])
    return {"visitor": None, "editor": editor, "coordinator": coordinator, "donor": factories.donor(),
            "other_editor": other_editor, "other_coordinator": other_coordinator}


COMMUNES_TOUCHED = """
    SELECT ST_Union(c.web_geom) FROM regions_adminunit c
    WHERE c.edition_id = %s AND c.level = 3 AND ST_Area(ST_Intersection(c.geom, ST_GeomFromGeoJSON(%s))) > 0
"""


def coarse_and_exact(api, zone_id: int) -> list[dict]:
    """The zone as the list and as the detail show it."""
    listed = [f for f in api.get("/api/v1/zones/").json()["features"] if f["id"] == zone_id]
    return listed + [api.get(f"/api/v1/zones/{zone_id}/").json()]


def test_a_visitor_sees_a_coarse_zone_only_as_the_communes_it_touches(people, org, mali):
    zone = factories.intervention(org, sensitivity="coarse").zones.get()  # drawn: the small Ségou square
    square_km2 = area_km2(factories.SEGOU_SQUARE)
    features = coarse_and_exact(factories.api_client(), zone.id)
    assert len(features) == 2
    for feature in features:
        assert feature["properties"]["precision"] == "communes"
        assert feature["properties"].get("area_km2") is None
        shown = json.dumps(feature["geometry"])
        assert area_km2(feature["geometry"]) > 5 * square_km2
        union = [mali.id, json.dumps(factories.SEGOU_SQUARE)]
        difference = sql_value(f"SELECT ST_Area(ST_SymDifference(ST_GeomFromGeoJSON(%s), ({COMMUNES_TOUCHED}))"
                               "::geography) / 1e6", [shown, *union])
        assert difference < 0.005 * area_km2(feature["geometry"])


@pytest.mark.parametrize(("who", "exact"), [("editor", True), ("coordinator", True), ("donor", False),
                                            ("other_editor", False), ("other_coordinator", False)])
def test_only_the_owner_and_its_networks_coordinator_see_the_exact_coarse_zone(people, org, who, exact):
    """Donors read the analytics computed over the exact zone, not the zone; nor does any other coordinator."""
    zone = factories.intervention(org, sensitivity="coarse").zones.get()
    square_km2 = area_km2(factories.SEGOU_SQUARE)
    for feature in coarse_and_exact(factories.api_client(people[who]), zone.id):
        assert feature["properties"]["precision"] == ("exact" if exact else "communes")
        assert (area_km2(feature["geometry"]) == pytest.approx(square_km2, rel=1e-3)) == exact
        assert (feature["properties"]["area_km2"] == pytest.approx(square_km2, rel=1e-3)) == exact


def test_a_visitor_cannot_read_the_exact_footprint_of_a_coarse_zone_from_commune_shares(people, org):
    zone = factories.intervention(org, sensitivity="coarse").zones.get()
    communes = factories.api_client().get(f"/api/v1/zones/{zone.id}/").json()["properties"]["communes"]
    assert {c["pcode"] for c in communes} >= {"ML040224"}
    assert all(c.get("share") is None for c in communes)


def test_a_visitors_bbox_search_matches_the_communes_shown_not_the_hidden_exact_zone(people, org):
    zone = factories.intervention(org, sensitivity="coarse").zones.get()
    lon, lat = sql_value("SELECT ARRAY[ST_X(p), ST_Y(p)] FROM (SELECT ST_PointOnSurface(ST_Difference(coarse_geom, "
                         "ST_Buffer(geom, 0.05))) p FROM zones_zone WHERE id = %s) x", [zone.id])
    shown = factories.api_client().get(f"/api/v1/zones/{zone.id}/").json()["geometry"]
    assert sql_value("SELECT ST_Intersects(ST_GeomFromGeoJSON(%s), ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                     [json.dumps(shown), lon, lat])
    box = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    assert factories.api_client().get(f"/api/v1/zones/?bbox={box}").json()["count"] == 1


def seen_by(api, intervention) -> tuple[bool, bool, bool, bool]:
    """Whether the intervention shows in the zone list, its zone's detail, the intervention list and detail."""
    zone = intervention.zones.get()
    return (
        zone.id in [f["id"] for f in api.get("/api/v1/zones/").json()["features"]],
        api.get(f"/api/v1/zones/{zone.id}/").status_code == 200,
        intervention.id in [i["id"] for i in api.get("/api/v1/interventions/").json()["results"]],
        api.get(f"/api/v1/interventions/{intervention.id}/").status_code == 200,
    )


@pytest.mark.parametrize(("who", "sees"), [("visitor", False), ("donor", False), ("other_editor", False),
                                           ("other_coordinator", False), ("coordinator", True), ("editor", True)])
def test_restricted_interventions_are_shown_only_to_the_owner_and_its_networks_coordinators(people, org, who, sees):
    restricted = factories.intervention_in_units(org, sensitivity="restricted")
    assert seen_by(factories.api_client(people[who]), restricted) == (sees,) * 4


@pytest.mark.parametrize(("who", "sees"), [("other_editor", False), ("coordinator", False), ("editor", True)])
def test_drafts_are_shown_only_to_their_own_organisation(people, org, who, sees):
    draft = factories.intervention_in_units(org, state="draft")
    assert seen_by(factories.api_client(people[who]), draft) == (sees,) * 4


def test_a_hidden_zone_answers_404_with_the_error_shape(people, org):
    zone = factories.intervention_in_units(org, sensitivity="restricted").zones.get()
    response = factories.api_client().get(f"/api/v1/zones/{zone.id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "zone_not_found"


# --- Filters and paging -------------------------------------------------------------------------------------

@pytest.fixture
def catalogue(mali):
    """Three interventions: in Ségou (VBG legal aid, open-ended, by a network member), in Kayes (economic,
    2020–2021, completed) and a submitted one in Ségou (seen only by the network's coordinator and its owner)."""
    coordinator = factories.user()
    member, other = factories.organisation(), factories.organisation()
    network = factories.network(coordinator=coordinator, members=[member])
    interventions = {
        "segou": factories.intervention_in_units(member, theme="vbg-juridique", start_date="2024-01-01"),
        "kayes": factories.intervention_in_units(other, units=["ML010112"], theme="economie-agr",
                                                 start_date="2020-01-01", end_date="2021-12-31", status="completed"),
        "submitted": factories.intervention_in_units(member, state="submitted", start_date="2024-01-01"),
    }
    return {"interventions": interventions, "coordinator": coordinator, "member": member, "network": network}


def found(api, endpoint: str, query: str, catalogue) -> set[str]:
    names = {i.id: name for name, i in catalogue["interventions"].items()}
    body = api.get(f"/api/v1/{endpoint}/?{query}").json()
    if endpoint == "zones":
        return {names[f["properties"]["intervention"]] for f in body["features"]}
    return {names[i["id"]] for i in body["results"]}


FILTERS = [
    ("theme=vbg", {"segou"}),  # a domain includes its sub-domains
    ("theme=vbg-juridique", {"segou"}),
    ("theme=autonomisation-economique", {"kayes"}),
    ("theme=acces-justice", set()),
    ("organisation={member}", {"segou"}),
    ("network={network}", {"segou"}),
    ("area=ML04", {"segou"}),  # a region finds a zone in one of its communes
    ("area=ML0402", {"segou"}),
    ("area=ML040224", {"segou"}),
    ("area=ML01", {"kayes"}),
    ("area=ML05", set()),
    ("active_on=2025-06-01", {"segou"}),  # no end date: still active
    ("active_on=2021-06-01", {"kayes"}),
    ("active_on=2019-06-01", set()),
    ("status=completed", {"kayes"}),
    ("status=ongoing", {"segou"}),
    ("bbox=-6.4,13.35,-6.1,13.5", {"segou"}),
    ("bbox=-11.5,14.4,-11.4,14.5", {"kayes"}),
    ("bbox=-8.0,12.5,-7.9,12.6", set()),
    ("theme=vbg&area=ML01", set()),
]


@pytest.mark.parametrize("endpoint", ["zones", "interventions"])
@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[query for query, _ in FILTERS])
def test_filters_as_a_visitor(catalogue, endpoint, query, expected):
    query = query.format(member=catalogue["member"].id, network=catalogue["network"].id)
    assert found(factories.api_client(), endpoint, query, catalogue) == expected


@pytest.mark.parametrize("endpoint", ["zones", "interventions"])
@pytest.mark.parametrize(("query", "expected"), [
    ("validation_state=submitted", {"submitted"}),
    ("validation_state=validated", {"segou", "kayes"}),
    ("validation_state=submitted&theme=vbg", {"submitted"}),
    ("", {"segou", "kayes", "submitted"}),
])
def test_validation_state_filter_for_a_coordinator(catalogue, endpoint, query, expected):
    assert found(factories.api_client(catalogue["coordinator"]), endpoint, query, catalogue) == expected


@pytest.mark.parametrize("query", ["bbox=1,2,3", "active_on=demain", "status=unknown", "organisation=abc"])
def test_invalid_filters_are_refused(mali, query):
    response = factories.api_client().get(f"/api/v1/zones/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameters"


def add_zone(intervention: Intervention, pcode: str) -> Zone:
    """A second zone, keeping the intervention validated (a zone change sends it back for validation)."""
    zone, _repairs = services.zone_create(audience=factories.admin_audience(), intervention=intervention,
                                          method="picked", unit_pcodes=[pcode])
    Intervention.objects.filter(pk=intervention.pk).update(validation_state=intervention.validation_state)
    return zone


def test_the_area_filter_returns_only_the_zones_in_that_area(mali, org):
    intervention = factories.intervention_in_units(org, units=["ML010112"])
    segou = add_zone(intervention, "ML040224")
    features = factories.api_client().get("/api/v1/zones/?area=ML01").json()["features"]
    assert segou.id not in [f["id"] for f in features]
    assert [f["id"] for f in features] == [intervention.zones.get(picked_units__pcode="ML010112").id]


def test_zones_are_paged_with_next_and_previous_links(mali, org):
    intervention = factories.intervention_in_units(org)
    for pcode in ("ML040223", "ML040219"):
        add_zone(intervention, pcode)
    api = factories.api_client()
    first = api.get("/api/v1/zones/?limit=2").json()
    assert first["type"] == "FeatureCollection"
    assert (first["count"], len(first["features"]), first["previous"]) == (3, 2, None)
    assert "limit=2" in first["next"] and "offset=2" in first["next"]
    second = api.get(first["next"]).json()
    assert (len(second["features"]), second["next"]) == (1, None)
    assert "offset=0" in second["previous"]
    ids = [f["id"] for f in first["features"] + second["features"]]
    assert sorted(ids) == sorted(intervention.zones.values_list("id", flat=True))


def test_interventions_are_paged_with_next_and_previous_links(mali, org):
    created = {factories.intervention_in_units(org).id for _ in range(3)}
    api = factories.api_client()
    first = api.get("/api/v1/interventions/?limit=2").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = api.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert {i["id"] for i in first["results"] + second["results"]} == created


# --- A constant number of queries ---------------------------------------------------------------------------

def queries_for(api, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = api.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


@pytest.mark.parametrize(("url", "size"), [
    ("/api/v1/zones/?organisation={org}&theme=vbg", lambda body: len(body["features"])),
    ("/api/v1/interventions/?organisation={org}", lambda body: len(body["results"])),
], ids=["zones", "interventions"])
def test_listing_5_or_50_records_runs_the_same_number_of_queries(mali, org, editor, url, size):
    url = url.format(org=org.id)
    api = factories.api_client(editor)
    for _ in range(5):
        factories.intervention_in_units(org, theme="vbg-sante")
    few, body = queries_for(api, url)
    assert size(body) == 5
    for _ in range(45):
        factories.intervention_in_units(org, theme="vbg-sante")
    many, body = queries_for(api, url)
    assert size(body) == 50
    assert many == few
