"""Boundary layers and area tiles are rendered once per version of the edition, served as stored bytes (identity,
gzip, brotli) with their ETag, and rendered again after a load changes the edition."""
import gzip
import json

import brotli
import mapbox_vector_tile
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geo_backend.regions import services
from geo_backend.regions.layer_store import rendered_layers_invalidate
from geo_backend.regions.models import RenderedLayer

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture(autouse=True)
def fresh_layers(mali):
    """Each test starts from layers not rendered yet (other tests served them under the current token)."""
    rendered_layers_invalidate(mali)


def spatial_queries(context: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in context.captured_queries if "ST_AsGeoJSON" in q["sql"] or "ST_AsMVT" in q["sql"]]


def test_a_layer_is_rendered_once_then_served_from_the_store(client, mali):
    with CaptureQueriesContext(connection) as first:
        rendered = client.get("/api/v1/areas/", {"level": 2})
    with CaptureQueriesContext(connection) as second:
        served = client.get("/api/v1/areas/", {"level": 2})
    assert len(spatial_queries(first)) == 1
    assert spatial_queries(second) == []
    assert served.content == rendered.content
    assert served["ETag"] == rendered["ETag"]
    assert RenderedLayer.objects.filter(edition=mali, kind="areas", parameters="level=2&parent=&geometry=web").exists()


def test_stored_encodings_decode_to_the_same_layer(client, mali):
    plain = client.get("/api/v1/areas/", {"level": 1}).content
    as_gzip = client.get("/api/v1/areas/", {"level": 1}, HTTP_ACCEPT_ENCODING="gzip")
    as_brotli = client.get("/api/v1/areas/", {"level": 1}, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert as_gzip["Content-Encoding"] == "gzip" and as_brotli["Content-Encoding"] == "br"
    assert gzip.decompress(as_gzip.content) == brotli.decompress(as_brotli.content) == plain
    assert len(json.loads(plain)["features"]) == 9
    assert "Accept-Encoding" in as_brotli["Vary"]
    again = client.get("/api/v1/areas/", {"level": 1}, HTTP_ACCEPT_ENCODING="br",
                       HTTP_IF_NONE_MATCH=as_brotli["ETag"])
    assert again.status_code == 304


def test_searches_are_computed_and_not_stored(client, mali):
    client.get("/api/v1/areas/", {"q": "tombouctou", "level": 2})
    client.get("/api/v1/areas/", {"contains": "-7.9935,12.6470"})
    client.get("/api/v1/areas/", {"bbox": "-8.1,12.5,-7.9,12.7", "level": 3})
    assert not RenderedLayer.objects.exists()


def test_a_tile_is_stored_and_decodes(client, mali):
    with CaptureQueriesContext(connection) as first:
        tile = client.get("/tiles/areas/6/30/29.pbf")
    with CaptureQueriesContext(connection) as second:
        again = client.get("/tiles/areas/6/30/29.pbf")
    assert len(spatial_queries(first)) == 1 and spatial_queries(second) == []
    assert again.content == tile.content
    assert len(mapbox_vector_tile.decode(tile.content)["areas"]["features"]) > 5
    assert client.get("/tiles/areas/3/99/1.pbf").status_code == 400
    assert not RenderedLayer.objects.filter(kind="tile", parameters__startswith="3/99/1").exists()


def test_a_load_that_changes_the_edition_renders_its_layers_again(client, mali):
    before = json.loads(client.get("/api/v1/areas/", {"level": 2}).content)
    tile_before = client.get("/tiles/areas/6/30/29.pbf")
    bamako = next(f for f in before["features"] if f["properties"]["pcode"] == "ML0901")
    women = bamako["properties"]["women_2017"]
    # One commune of Bamako gains 1,000 women: the cercle's sum (rolled up) changes, so must the stored layer.
    commune = mali.units.filter(level=3, parent__pcode="ML0901").order_by("pcode").first()
    population = commune.populations.get(year=2017)
    services.population_upsert(edition=mali, level=3, source=population.source, rows=[
        (commune.pcode, 2017, population.female + 1000, population.male, population.total + 1000)])
    after = json.loads(client.get("/api/v1/areas/", {"level": 2}).content)
    assert next(f for f in after["features"]
                if f["properties"]["pcode"] == "ML0901")["properties"]["women_2017"] == women + 1000
    # The tile holds no population: rendered again under the new token, its bytes are the same, and so its ETag.
    tile_after = client.get("/tiles/areas/6/30/29.pbf")
    assert tile_after.content == tile_before.content and tile_after["ETag"] == tile_before["ETag"]
    assert RenderedLayer.objects.filter(edition=mali).count() == 2


def test_a_load_that_changes_nothing_keeps_the_stored_layers(client, mali):
    client.get("/api/v1/areas/", {"level": 2})
    token = type(mali).objects.get(pk=mali.pk).layers_token
    commune = mali.units.filter(level=3).order_by("pcode").first()
    population = commune.populations.get(year=2017)
    services.population_upsert(edition=mali, level=3, source=population.source, rows=[
        (commune.pcode, 2017, population.female, population.male, population.total)])
    assert type(mali).objects.get(pk=mali.pk).layers_token == token
    with CaptureQueriesContext(connection) as served:
        client.get("/api/v1/areas/", {"level": 2})
    assert spatial_queries(served) == []
