"""The map's zones as vector tiles: the zones API's visibility rules, checked on decoded tiles, and caching that
follows both the audience and every change of a zone."""
import math

import mapbox_vector_tile
import pytest
from shapely.geometry import shape

from geo_backend.zones import services as zone_services
from geo_backend.zones import tiles
from geo_backend.zones.models import Intervention
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

ZOOM = 10
EXTENT = 4096


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The x, y of the Web Mercator (XYZ) tile holding a point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


# The middle of factories.SEGOU_SQUARE; the square is about a third of a z10 tile wide, well inside this one.
X, Y = tile_of(-6.25, 13.45, ZOOM)
URL = f"/tiles/zones/{ZOOM}/{X}/{Y}.pbf"


def square_area_in_tile_units() -> float:
    """The area of factories.SEGOU_SQUARE in the tile's 4096-unit grid."""
    def units(lon, lat):
        n = 2**ZOOM * EXTENT
        return ((lon + 180) / 360 * n, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    (x0, y0), (x1, y1) = units(-6.3, 13.4), units(-6.2, 13.5)
    return abs(x1 - x0) * abs(y1 - y0)


def features(response) -> dict[int, dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    layers = mapbox_vector_tile.decode(response.content)
    assert set(layers) <= {"zones"}
    return {f["properties"]["zone"]: f for f in layers.get("zones", {}).get("features", [])}


def square_moved(steps: int) -> dict:
    """factories.SEGOU_SQUARE moved east by steps × 0.002° (same area, still well inside the tile): zones drawn as
    the same shape are one feature of the tile."""
    ring = factories.SEGOU_SQUARE["coordinates"][0]
    return {"type": "Polygon", "coordinates": [[[lon + 0.002 * steps, lat] for lon, lat in ring]]}


@pytest.fixture
def world(mali):
    editor = factories.user()
    org = factories.organisation(editor=editor)
    made = {sensitivity: factories.intervention(org, sensitivity=sensitivity, geometry=square_moved(step))
            for step, sensitivity in enumerate(("public", "coarse", "restricted"))}
    made["draft"] = factories.intervention(org, state="draft", geometry=square_moved(3))
    zones = {name: intervention.zones.get() for name, intervention in made.items()}
    return editor, zones


def test_a_visitors_tile_holds_no_restricted_zone_and_no_precise_coarse_outline(client, world):
    _editor, zones = world
    seen = features(client.get(URL))
    assert set(seen) == {zones["public"].pk, zones["coarse"].pk}
    assert seen[zones["public"].pk]["properties"]["precision"] == "exact"
    assert seen[zones["public"].pk]["id"] == zones["public"].pk
    coarse = seen[zones["coarse"].pk]
    assert coarse["properties"]["precision"] == "communes"
    # The square drawn is shown to visitors as the whole communes it touches: many times its area, never the square.
    square = square_area_in_tile_units()
    assert shape(seen[zones["public"].pk]["geometry"]).area == pytest.approx(square, rel=0.05)
    assert shape(coarse["geometry"]).area > 3 * square


def test_the_owner_sees_her_restricted_draft_and_coarse_zones_exactly(client, world):
    editor, zones = world
    client.force_login(editor)
    seen = features(client.get(URL))
    assert set(seen) == {zone.pk for zone in zones.values()}
    square = square_area_in_tile_units()
    for zone in zones.values():
        assert seen[zone.pk]["properties"]["precision"] == "exact"
        assert shape(seen[zone.pk]["geometry"]).area == pytest.approx(square, rel=0.05)
    assert seen[zones["public"].pk]["properties"]["theme"] == "vbg"


def test_another_signed_in_person_sees_what_a_visitor_sees(client, world):
    _editor, zones = world
    client.force_login(factories.user())
    assert set(features(client.get(URL))) == {zones["public"].pk, zones["coarse"].pk}


def test_filters_narrow_the_tile_like_the_zones_api(client, world):
    _editor, zones = world
    assert features(client.get(URL, {"theme": "vbg"}))
    assert features(client.get(URL, {"theme": "participation-politique"})) == {}
    assert set(features(client.get(URL, {"area": "ML04"}))) == {zones["public"].pk, zones["coarse"].pk}
    assert features(client.get(URL, {"area": "ML01"})) == {}
    assert features(client.get(URL, {"active_on": "2020-01-01"}))
    for params, code in (({"bbox": "-7,13,-6,14"}, "unknown_parameter"), ({"zoom": "3"}, "unknown_parameter"),
                         ({"theme": "nope"}, "invalid_parameters")):
        response = client.get(URL, params)
        assert response.status_code == 400 and response.json()["code"] == code, params
    assert client.get("/tiles/zones/3/99/1.pbf").json()["code"] == "tile_out_of_range"


def test_zones_drawn_as_the_same_shape_are_one_feature_standing_for_them_all(client, world):
    """A town picked whole by hundreds of organisations is one polygon of the tile, not hundreds (at 20,000 zones
    the central z5 tile was 1 MB); the feature is the lowest zone id's and says how many zones it stands for."""
    _editor, zones = world
    again = [factories.intervention(factories.organisation(), geometry=square_moved(4)).zones.get() for _ in range(2)]
    seen = features(client.get(URL))
    assert set(seen) == {zones["public"].pk, zones["coarse"].pk, min(z.pk for z in again)}
    assert seen[min(z.pk for z in again)]["properties"]["zones"] == 2
    assert seen[zones["public"].pk]["properties"]["zones"] == 1


# --- Up to z7 (tiles.MERGED_MAX_ZOOM) a tile merges each theme's touching zones: the same rules, checked likewise --

NATIONAL = 5
MERGED_EXTENT = 256
MOPTI_SQUARE = {"type": "Polygon", "coordinates": [[[-4.25, 14.45], [-4.15, 14.45], [-4.15, 14.55], [-4.25, 14.55],
                                                    [-4.25, 14.45]]]}


def national_url(lon: float = -6.25, lat: float = 13.45) -> str:
    x, y = tile_of(lon, lat, NATIONAL)
    return f"/tiles/zones/{NATIONAL}/{x}/{y}.pbf"


def merged_features(response) -> list[dict]:
    assert response.status_code == 200, response.content
    layers = mapbox_vector_tile.decode(response.content)
    assert set(layers) <= {"zones"}
    assert layers.get("zones", {}).get("extent", MERGED_EXTENT) == MERGED_EXTENT
    return layers.get("zones", {}).get("features", [])


def national_point(lon: float, lat: float):
    """A point in the national tile's grid (the decoder's y axis points up, as its grid is read)."""
    from shapely.geometry import Point

    n = 2**NATIONAL * MERGED_EXTENT
    x, y = (lon + 180) / 360 * n, (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    tile_x, tile_y = tile_of(lon, lat, NATIONAL)
    return Point(x - tile_x * MERGED_EXTENT, MERGED_EXTENT - (y - tile_y * MERGED_EXTENT))


def zones_by_precision(found: list[dict]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for feature in found:
        counted[feature["properties"]["precision"]] = (counted.get(feature["properties"]["precision"], 0)
                                                       + feature["properties"]["zones"])
    return counted


def test_a_visitors_merged_tile_holds_no_restricted_zone_and_no_precise_coarse_outline(client, world):
    editor, zones = world
    org = zones["public"].intervention.organisation
    factories.intervention(org, sensitivity="restricted", geometry=MOPTI_SQUARE)  # alone near Mopti
    found = merged_features(client.get(national_url()))
    # No zone id (a feature without one decodes as id 0), only what the merged shape says.
    assert found and all(not f.get("id") and set(f["properties"]) == {"theme", "precision", "zones"}
                         for f in found)
    # The public zone exactly; the coarse one only as its communes; the restricted ones and the draft not at all.
    assert zones_by_precision(found) == {"exact": 1, "communes": 1}
    exact = [shape(f["geometry"]) for f in found if f["properties"]["precision"] == "exact"]
    communes = [shape(f["geometry"]) for f in found if f["properties"]["precision"] == "communes"]
    assert sum(g.area for g in communes) > 3 * sum(g.area for g in exact)
    mopti = national_point(-4.2, 14.5)
    assert not any(shape(f["geometry"]).distance(mopti) < 2 for f in found)
    # Their owner sees all five exactly, the one near Mopti where it is.
    client.force_login(editor)
    mine = merged_features(client.get(national_url()))
    assert zones_by_precision(mine) == {"exact": 5}
    assert any(shape(f["geometry"]).distance(mopti) < 2 for f in mine)


def test_a_merged_tile_joins_touching_zones_of_a_theme_and_keeps_a_zone_smaller_than_a_pixel(client, world):
    _editor, zones = world
    org = zones["public"].intervention.organisation
    again = [factories.intervention(org, geometry=square_moved(4)) for _ in range(2)]
    tiny = {"type": "Polygon", "coordinates": [[[-4.2, 14.5], [-4.199, 14.5], [-4.199, 14.501], [-4.2, 14.501],
                                                [-4.2, 14.5]]]}
    factories.intervention(org, geometry=tiny)  # about 100 m wide: a tenth of a pixel at z5
    found = merged_features(client.get(national_url()))
    exact = [f for f in found if f["properties"]["precision"] == "exact"]
    # The overlapping squares near Ségou are one shape standing for the three zones; the tiny one near Mopti is
    # its own, a mark of a couple of pixels, still there to be seen.
    assert sorted(f["properties"]["zones"] for f in exact) == [1, 1 + len(again)]
    mark = next(shape(f["geometry"]) for f in exact if f["properties"]["zones"] == 1)
    assert mark.distance(national_point(-4.2, 14.5)) < 2 and 1 <= mark.area <= 16
    assert all(f["properties"]["theme"] == "vbg" for f in found)


def test_from_z8_zones_are_features_of_their_own_again(client, world):
    _editor, zones = world
    x, y = tile_of(-6.25, 13.45, 8)
    seen = features(client.get(f"/tiles/zones/8/{x}/{y}.pbf"))
    assert set(seen) == {zones["public"].pk, zones["coarse"].pk}


def test_tiles_far_from_any_zone_are_empty(client, world):
    x, y = tile_of(2.0, 48.8, ZOOM)  # Paris
    assert client.get(f"/tiles/zones/{ZOOM}/{x}/{y}.pbf").content == b""


def test_a_visitors_tile_is_public_and_revalidates_by_etag(client, world):
    first = client.get(URL)
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert {"Cookie", "Authorization"} <= {v.strip() for v in first["Vary"].split(",")}
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_a_tile_the_browser_already_has_is_not_built_again(client, world, monkeypatch):
    tag = client.get(URL)["ETag"]
    monkeypatch.setattr(tiles, "zone_tile", lambda *args, **kwargs: pytest.fail("the tile was built again"))
    # A compressed answer's tag comes back weak (W/"…", from GZipMiddleware): the same tile all the same.
    for sent in (tag, "W/" + tag, f'"other", W/{tag}'):
        assert client.get(URL, HTTP_IF_NONE_MATCH=sent).status_code == 304, sent


def test_a_tile_built_once_serves_the_next_person_with_the_same_zones_and_not_after_a_change(client, world,
                                                                                             monkeypatch):
    first = client.get(URL)
    built = []
    original = tiles.zone_tile
    monkeypatch.setattr(tiles, "zone_tile", lambda *args, **kwargs: built.append(1) or original(*args, **kwargs))
    assert client.get(URL).content == first.content and built == []  # another visitor, no browser copy
    editor, zones = world
    client.force_login(editor)  # she sees more in this tile: her own tile, built for her
    assert set(features(client.get(URL))) == {zone.pk for zone in zones.values()} and built == [1]
    client.logout()
    Intervention.objects.filter(pk=zones["coarse"].intervention_id).update(sensitivity="public")
    assert features(client.get(URL))[zones["coarse"].pk]["properties"]["precision"] == "exact"
    assert built == [1, 1]


def test_a_signed_in_tile_is_private_and_tagged_apart_from_the_public_one(client, world):
    editor, _zones = world
    public = client.get(URL)
    client.force_login(editor)
    mine = client.get(URL)
    assert "private" in mine["Cache-Control"] and "public" not in mine["Cache-Control"]
    assert mine["ETag"] != public["ETag"]
    # Her browser's copy of the public tile never stands for hers.
    assert client.get(URL, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 200
    assert client.get(URL, HTTP_IF_NONE_MATCH=mine["ETag"]).status_code == 304


def test_the_etag_changes_when_a_zone_in_the_tile_changes(client, world):
    _editor, zones = world
    before = client.get(URL)
    # A public zone made coarse: the same zone, another shape for visitors ...
    Intervention.objects.filter(pk=zones["public"].intervention_id).update(sensitivity="coarse")
    after_coarse = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after_coarse.status_code == 200 and after_coarse["ETag"] != before["ETag"]
    assert features(after_coarse)[zones["public"].pk]["properties"]["precision"] == "communes"
    # ... a draft validated: a new zone appears ...
    Intervention.objects.filter(pk=zones["draft"].intervention_id).update(validation_state="validated")
    after_validation = client.get(URL)
    assert after_validation["ETag"] != after_coarse["ETag"]
    assert zones["draft"].pk in features(after_validation)
    # ... a zone redrawn by its owner (its version moves on; a validated declaration goes back to review, so it
    # leaves the visitors' tile) ...
    zone = zones["draft"]
    zone_services.zone_update(audience=factories.admin_audience(), zone=zone, expected_version=zone.version,
                              method="picked", unit_pcodes=["ML040224"])
    after_redraw = client.get(URL)
    assert after_redraw["ETag"] != after_validation["ETag"]
    # ... and the tile of someone who still sees it changes too.
    admin = factories.user(superuser=True)
    client.force_login(admin)
    seen_by_admin = client.get(URL)
    zone.refresh_from_db()
    zone_services.zone_update(audience=factories.admin_audience(), zone=zone, expected_version=zone.version,
                              method="drawn", geometry=square_moved(5))
    redrawn = client.get(URL, HTTP_IF_NONE_MATCH=seen_by_admin["ETag"])
    assert redrawn.status_code == 200 and redrawn["ETag"] != seen_by_admin["ETag"]
    assert shape(features(redrawn)[zone.pk]["geometry"]).area == pytest.approx(square_area_in_tile_units(), rel=0.05)


def test_openapi_schema_documents_the_zone_tiles(client, db):
    schema = client.get("/api/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/tiles/zones/{z}/{x}/{y}.pbf"]["get"]
    documented = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"theme", "network", "area", "active_on"} <= documented and "bbox" not in documented

