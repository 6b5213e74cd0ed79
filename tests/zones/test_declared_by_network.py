"""A network's coordinator may declare an intervention on a member's behalf, and edit that declaration."""
import pytest
from rest_framework.test import APIClient

from geo_backend.zones.models import Intervention
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_coordinator_declares_for_a_member_but_not_for_an_outsider(mali):
    coordinator = factories.user()
    member, outsider = factories.organisation(), factories.organisation()
    network = factories.network(coordinator=coordinator, members=[member])
    api = client_for(coordinator)
    created = api.post("/api/v1/interventions/", {"organisation": member.id, "declared_by_network": network.id,
                                                  "title": "Déclarée par le réseau", "themes": ["vbg"]},
                       format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["declared_by_network"] == network.id
    zone = api.post("/api/v1/zones/", {"intervention": created.json()["id"], "method": "picked",
                                       "units": ["ML040101"]}, format="json")
    assert zone.status_code == 201
    refused = api.post("/api/v1/interventions/", {"organisation": outsider.id, "declared_by_network": network.id,
                                                  "title": "Hors réseau", "themes": ["vbg"]}, format="json")
    assert refused.status_code == 403
    assert not Intervention.objects.filter(title="Hors réseau").exists()


def test_without_naming_the_network_a_coordinator_cannot_declare_for_a_member(mali):
    coordinator = factories.user()
    member = factories.organisation()
    factories.network(coordinator=coordinator, members=[member])
    refused = client_for(coordinator).post("/api/v1/interventions/", {"organisation": member.id, "title": "X",
                                                                      "themes": ["vbg"]}, format="json")
    assert refused.status_code == 403
