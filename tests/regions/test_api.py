"""The public boundary API: GeoJSON layers, detail, search, tiles, caching headers, clear errors."""
import gzip
import json

import mapbox_vector_tile
import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_cercles_layer_is_a_feature_collection_with_population(client, mali):
    response = client.get("/api/v1/areas/", {"level": 2})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 50
    bamako = next(f for f in collection["features"] if f["properties"]["pcode"] == "ML0901")
    assert bamako["properties"]["parent_pcode"] == "ML09"
    assert bamako["properties"]["women_2017"] > 1_000_000
    assert bamako["geometry"]["type"] == "MultiPolygon"


def test_layer_is_compressed_and_cacheable(client, mali):
    response = client.get("/api/v1/areas/", {"level": 3}, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "max-age" in response["Cache-Control"]
    assert len(json.loads(gzip.decompress(response.content))["features"]) == 701
    etag = response["ETag"]
    again = client.get("/api/v1/areas/", {"level": 3}, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""


def test_full_geometry_on_request_has_more_vertices(client, mali):
    web = json.loads(client.get("/api/v1/areas/", {"level": 1, "parent": "ML"}).content)
    full = json.loads(client.get("/api/v1/areas/", {"level": 1, "geometry": "full"}).content)
    assert len(web["features"]) == len(full["features"]) == 9
    assert len(json.dumps(full)) > 3 * len(json.dumps(web))


def test_detail_has_parent_chain_children_population_and_aliases(client, mali):
    detail = client.get("/api/v1/areas/ML0102/").json()["properties"]
    assert detail["name"].startswith("Bafoul")
    assert [p["pcode"] for p in detail["parents"]] == ["ML", "ML01"]
    assert len(detail["children"]) == 13
    assert {p["year"] for p in detail["population"]} == {2015, 2017}
    assert {"scheme": "hdx2017", "pcode": "ML0101"} in [{k: a[k] for k in ("scheme", "pcode")}
                                                        for a in detail["aliases"]]


def test_older_scheme_code_resolves_through_the_api(client, mali):
    assert client.get("/api/v1/areas/ML0101/").json()["properties"]["name"] == "Kayes"
    assert client.get("/api/v1/areas/ML0101/", {"scheme": "hdx2017"}).json()["properties"]["name"].startswith("Bafoul")


def test_point_lookup_and_search(client, mali):
    found = client.get("/api/v1/areas/", {"contains": "-7.9935,12.6470"}).json()["features"]
    assert [f["properties"]["level"] for f in found] == [0, 1, 2, 3, 4]  # Bamako has quartiers
    searched = client.get("/api/v1/areas/", {"q": "tombouctou", "level": 2}).json()["features"]
    assert searched[0]["properties"]["name"].lower().startswith("tombouctou")


def test_locality_search_is_accent_insensitive(client, mali):
    plain = client.get("/api/v1/localities/", {"q": "segou"}).json()
    accented = client.get("/api/v1/localities/", {"q": "Ségou"}).json()
    assert plain["results"][0]["name"].lower() == "segou"
    assert plain["results"] == accented["results"]
    assert plain["results"][0]["commune_pcode"].startswith("ML04")


@pytest.mark.parametrize(
    ("url", "params", "status", "code"),
    [
        ("/api/v1/areas/", {"level": "9"}, 400, "invalid_parameters"),
        ("/api/v1/areas/", {"contains": "12.6,-7.9,3"}, 400, "invalid_parameters"),
        ("/api/v1/areas/", {"contains": "200,13"}, 400, "invalid_parameters"),
        ("/api/v1/areas/", {"edition": "nope"}, 404, "edition_not_found"),
        ("/api/v1/areas/ML9999/", {}, 404, "area_not_found"),
        ("/api/v1/localities/", {}, 400, "invalid_parameters"),
        ("/tiles/areas/3/99/1.pbf", {}, 400, "tile_out_of_range"),
    ],
)
def test_bad_requests_get_a_stable_code_in_french_and_english(client, mali, url, params, status, code):
    response = client.get(url, params)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["message"]["fr"] and body["message"]["en"] and body["message"]["fr"] != body["message"]["en"]


def test_vector_tile_over_mali_has_features_and_elsewhere_is_empty(client, mali):
    # z6 tile x=30, y=29 covers central Mali (around -11..-5 E, 11..16 N).
    tile = client.get("/tiles/areas/6/30/29.pbf")
    assert tile.status_code == 200
    assert tile["Content-Type"] == "application/vnd.mapbox-vector-tile"
    layers = mapbox_vector_tile.decode(tile.content)
    assert list(layers) == ["areas"]
    features = layers["areas"]["features"]
    pcodes = {feature["properties"]["pcode"] for feature in features}
    # z6 shows cercles (level 2): Bamako and Ségou lie inside this tile, Gao (ML07) and Kidal (ML08) far outside.
    assert {"ML0901", "ML0402"} <= pcodes
    assert not {pcode for pcode in pcodes if pcode.startswith(("ML07", "ML08"))}
    assert {feature["properties"]["level"] for feature in features} == {2}
    assert all(len(pcode) == 6 for pcode in pcodes)
    assert {feature["geometry"]["type"] for feature in features} <= {"Polygon", "MultiPolygon"}
    bamako = next(f for f in features if f["properties"]["pcode"] == "ML0901")
    assert bamako["properties"]["name"] == "Bamako"
    # Bamako lies wholly inside the tile, so its vertices lie inside the 4096-unit extent, not in the buffer.
    rings = bamako["geometry"]["coordinates"]
    if bamako["geometry"]["type"] == "MultiPolygon":
        rings = [ring for polygon in rings for ring in polygon]
    vertices = [vertex for ring in rings for vertex in ring]
    assert len(vertices) >= 4 and all(0 <= x <= 4096 and 0 <= y <= 4096 for x, y in vertices)
    empty = client.get("/tiles/areas/6/0/0.pbf")
    assert empty.status_code == 200 and empty.content == b""


def test_openapi_schema_documents_the_boundary_endpoints(client, db):
    schema = client.get("/api/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/areas/", "/api/v1/areas/{pcode}/", "/api/v1/localities/", "/api/v1/localities/labels/",
                 "/tiles/areas/{z}/{x}/{y}.pbf"):
        assert path in schema["paths"]


def test_place_labels_give_the_towns_at_once_and_the_villages_of_a_box(client, mali):
    towns = client.get("/api/v1/localities/labels/")
    assert towns.status_code == 200 and towns["Content-Type"] == "application/geo+json"
    assert "public" in towns["Cache-Control"]
    features = json.loads(towns.content)["features"]
    classes = [f["properties"]["place_class"] for f in features]
    assert classes == sorted(classes) and set(classes) == {1, 2, 3, 4}
    names = {f["properties"]["name"] for f in features}
    assert {"Bamako", "Macina", "Kayes"} <= names
    assert features[0]["geometry"]["type"] == "Point"
    # Villages only inside a box (around Macina), with the towns of that box.
    box = "-5.5,13.8,-5.25,14.05"
    villages = json.loads(client.get("/api/v1/localities/labels/", {"max_class": 5, "bbox": box}).content)
    assert {f["properties"]["place_class"] for f in villages["features"]} >= {3, 5}
    assert all(-5.5 <= f["geometry"]["coordinates"][0] <= -5.25 for f in villages["features"])
    assert "Macina" in {f["properties"]["name"] for f in villages["features"]}
    refused = client.get("/api/v1/localities/labels/", {"max_class": 5})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_parameters"
