"""The OGC API - Features endpoint in-process: conformance, JSON only (pygeoapi's HTML loads CDN scripts), errors,
and the visitor's view of the zones whoever asks."""
import pytest
from django.test import Client

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture
def ogc():
    return Client(HTTP_HOST="127.0.0.1")


def test_conformance_and_json_only(mali, ogc):
    conformance = ogc.get("/ogc/conformance", HTTP_ACCEPT="text/html")
    assert conformance["Content-Type"].startswith("application/json")
    classes = conformance.json()["conformsTo"]
    assert {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"} <= set(classes)
    landing = ogc.get("/ogc/", {"f": "html"})
    assert landing["Content-Type"].startswith("application/json") and b"<script" not in landing.content
    assert ogc.get("/ogc/openapi").status_code == 200


def test_items_single_item_and_errors(mali, ogc):
    page = ogc.get("/ogc/collections/admin2/items", {"limit": 5, "offset": 10}).json()
    assert len(page["features"]) == 5 and any(link["rel"] == "next" for link in page["links"])
    segou = ogc.get("/ogc/collections/admin1/items/ML04").json()
    assert segou["properties"]["name"] == "Segou" and segou["geometry"]["type"] == "MultiPolygon"
    assert ogc.get("/ogc/collections/nothing/items").status_code == 404
    assert ogc.get("/ogc/collections/admin1/items/XX").status_code == 404
    assert ogc.get("/ogc/collections/admin2/items", {"limit": "many"}).status_code == 400


def test_zones_are_the_visitors_whoever_asks(orgs, ogc):
    # The zones are written in this test's transaction; pygeoapi reads with its own connection, so it cannot see
    # them: the view's definition is checked instead, against the rules it is generated from.
    from django.db import connection

    from geo_backend.exchange.ogc_sql import ZONES_VIEW

    factories.intervention_in_units(orgs["benkadi"], title="Visible")
    factories.intervention_in_units(orgs["benkadi"], sensitivity="restricted", title="Cachée")
    factories.intervention_in_units(orgs["benkadi"], state="submitted", title="En attente")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT title, precision FROM {ZONES_VIEW} ORDER BY title")
        assert cursor.fetchall() == [("Visible", "exact")]
