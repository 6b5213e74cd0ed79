"""The intervention and zone API end to end: an editor declares, the network coordinator validates."""
import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def client_for(person=None) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_authenticate(person)
    return client


def test_editor_declares_coordinator_validates_visitor_sees(mali):
    editor, coordinator = factories.user(), factories.user()
    org = factories.organisation(editor=editor)
    factories.network(coordinator=coordinator, members=[org])
    api = client_for(editor)
    created = api.post("/api/v1/interventions/", {"organisation": org.id, "title": "Causeries VBG",
                                                  "themes": ["vbg"]}, format="json")
    assert created.status_code == 201, created.json()
    intervention = created.json()
    assert intervention["validation_state"] == "draft"
    zone = api.post("/api/v1/zones/", {"intervention": intervention["id"], "method": "picked",
                                       "units": ["ML040101", "ML040102"]}, format="json")
    assert zone.status_code == 201, zone.json()
    assert {c["pcode"] for c in zone.json()["properties"]["communes"]} >= {"ML040101", "ML040102"}
    submitted = api.post(f"/api/v1/interventions/{intervention['id']}/submit/", {},
                         HTTP_IF_MATCH=created["ETag"], format="json")
    assert submitted.status_code == 200, submitted.json()
    assert client_for().get("/api/v1/zones/").json()["count"] == 0
    validated = client_for(coordinator).post(f"/api/v1/interventions/{intervention['id']}/validate/",
                                             {"version": submitted.json()["version"]}, format="json")
    assert validated.status_code == 200, validated.json()
    public = client_for().get("/api/v1/zones/").json()
    assert public["count"] == 1
    assert public["features"][0]["properties"]["title"] == "Causeries VBG"
