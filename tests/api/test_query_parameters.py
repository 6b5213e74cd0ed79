"""One API input layer: every list endpoint declares its query parameters; an unknown one is refused with the list
of the accepted ones, a bad value with the details per parameter; bbox keeps only what intersects the box."""
import pytest
from django.contrib.gis.geos import Polygon

from geo_backend.regions.models import AdminUnit
from geo_backend.zones.models import Zone
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

LIST_ENDPOINTS = ["/api/v1/areas/", "/api/v1/localities/?q=segou", "/api/v1/organisations/", "/api/v1/networks/",
                  "/api/v1/memberships/", "/api/v1/interventions/", "/api/v1/zones/",
                  "/api/v1/analytics/coverage/", "/api/v1/analytics/gaps/", "/api/v1/analytics/overlaps/",
                  "/api/v1/analytics/changes/?before=2020-01-01&after=2024-01-01", "/api/v1/analytics/rollups/"]
# Around the town of Ségou: minLon, minLat, maxLon, maxLat.
SEGOU_BOX = (-6.45, 13.3, -6.1, 13.55)


def box_text(box) -> str:
    return ",".join(str(v) for v in box)


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_an_unknown_parameter_is_refused_with_the_accepted_ones(client, mali, url):
    response = client.get(url + ("&" if "?" in url else "?") + "colour=blue")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_parameter"
    assert body["message"]["fr"] and body["message"]["en"] and "colour" in body["message"]["en"]
    assert body["details"]["unknown"] == ["colour"]
    accepted = body["details"]["accepted"]
    assert "colour" not in accepted and accepted
    # What is accepted is what the schema documents for the operation.
    schema = client.get("/api/", HTTP_ACCEPT="application/json").json()
    path = url.split("?")[0]
    documented = {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    assert set(accepted) == documented


def test_a_typo_in_a_filter_no_longer_returns_everything(client, mali):
    """/areas/?levle=3 used to answer every unit of every level; now the typo is named."""
    response = client.get("/api/v1/areas/", {"levle": 3})
    assert response.status_code == 400
    assert "level" in response.json()["details"]["accepted"]


def test_a_repeated_parameter_is_refused(client, mali):
    response = client.get("/api/v1/areas/?level=1&level=2")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameters" and "level" in response.json()["details"]


def test_a_detail_endpoint_refuses_parameters_it_does_not_take(client, mali):
    org = factories.organisation()
    response = client.get(f"/api/v1/organisations/{org.id}/", {"expand": "all"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_parameter"
    assert response.json()["details"]["accepted"] == []


def test_bbox_on_areas_returns_only_the_units_that_intersect_the_box(client, mali):
    response = client.get("/api/v1/areas/", {"level": 3, "bbox": box_text(SEGOU_BOX)})
    assert response.status_code == 200
    found = {f["properties"]["pcode"] for f in response.json()["features"]}
    expected = set(AdminUnit.objects.filter(edition=mali, level=3, geom__intersects=Polygon.from_bbox(SEGOU_BOX))
                   .values_list("pcode", flat=True))
    assert found == expected
    assert 1 < len(found) < 20  # a handful of communes, not the 701
    segou = client.get("/api/v1/areas/", {"level": 3, "contains": "-6.26,13.44"}).json()["features"]
    assert segou[0]["properties"]["pcode"] in found


def test_bbox_on_zones_returns_only_the_zones_that_intersect_the_box(client, mali):
    org = factories.organisation()
    in_segou = factories.intervention_in_units(org, units=("ML040224",))
    elsewhere = factories.intervention_in_units(org, units=("ML010101",))
    response = client.get("/api/v1/zones/", {"bbox": box_text(SEGOU_BOX)})
    assert response.status_code == 200
    found = {f["properties"]["intervention"] for f in response.json()["features"]}
    assert found == {in_segou.id}
    assert Zone.objects.filter(intervention=elsewhere).exists()
    assert response.json()["count"] == 1 and response.json()["next"] is None


@pytest.mark.parametrize("bbox", ["nan,13,-6,14", "-7,13,inf,14", "-6,13,-7,14", "-7,14,-6,13", "-7,13,-6",
                                  "-200,13,-6,14", "-7,13,-6,95", "a,b,c,d", "-7,13,-6,14,5", "-7,13,-7,14"])
@pytest.mark.parametrize("path", ["/api/v1/areas/", "/api/v1/zones/", "/api/v1/interventions/",
                                  "/api/v1/analytics/coverage/"])
def test_a_bad_bbox_is_refused(client, mali, path, bbox):
    response = client.get(path, {"bbox": bbox})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameters" and "bbox" in response.json()["details"]


def test_zone_list_paging_members_are_built_with_the_features(client, mali):
    org = factories.organisation()
    for units in (("ML040224",), ("ML010101",), ("ML040224",)):
        factories.intervention_in_units(org, units=units)
    first = client.get("/api/v1/zones/", {"organisation": org.id, "limit": 2}).json()
    assert (first["type"], first["count"], len(first["features"])) == ("FeatureCollection", 3, 2)
    assert first["previous"] is None and "offset=2" in first["next"] and f"organisation={org.id}" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["features"]) == 1 and second["next"] is None and "offset=0" in second["previous"]
