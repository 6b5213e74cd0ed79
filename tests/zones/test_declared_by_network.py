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


# --- Naming the declaring network speaks in the network's name --------------------------------------------------
# An editor of a member who could name her network as the declarant would take the declaration's review away from
# that network's coordinators (nobody validates her network's own work); a coordinator who could take the network's
# name off a declaration she made for a member could then validate her own work.

def test_an_editor_of_a_member_cannot_name_her_network_as_the_declarant(mali):
    editor, coordinator = factories.user(), factories.user()
    member = factories.organisation(editor=editor)
    network = factories.network(coordinator=coordinator, members=[member])
    before = factories.registry_snapshot()
    refused = client_for(editor).post("/api/v1/interventions/", {
        "organisation": member.id, "declared_by_network": network.id, "title": "Au nom du réseau",
        "themes": ["vbg"]}, format="json")
    assert refused.status_code == 403, refused.content[:300]
    assert set(refused.json()["message"]) == {"fr", "en"}
    assert factories.registry_snapshot() == before
    own = client_for(editor).post("/api/v1/interventions/", {"organisation": member.id, "title": "En son nom",
                                                             "themes": ["vbg"]}, format="json")
    assert own.status_code == 201 and own.json()["declared_by_network"] is None


def test_a_coordinator_cannot_take_the_networks_name_off_her_declaration_to_validate_it(mali):
    coordinator = factories.user()
    member = factories.organisation()
    network = factories.network(coordinator=coordinator, members=[member])
    api = client_for(coordinator)
    created = api.post("/api/v1/interventions/", {"organisation": member.id, "declared_by_network": network.id,
                                                  "title": "Déclarée par le réseau", "themes": ["vbg"],
                                                  "submit": True}, format="json")
    assert created.status_code == 201, created.content[:300]
    declaration = Intervention.objects.get(pk=created.json()["id"])
    before = factories.registry_snapshot()
    refused = api.patch(f"/api/v1/interventions/{declaration.id}/", {"declared_by_network": None},
                        HTTP_IF_MATCH=factories.if_match(declaration), format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "declared_by_network_fixed"
    assert factories.registry_snapshot() == before
    assert api.post(f"/api/v1/interventions/{declaration.id}/validate/", {},
                    HTTP_IF_MATCH=factories.if_match(declaration), format="json").status_code == 403
    same = api.patch(f"/api/v1/interventions/{declaration.id}/", {"declared_by_network": network.id,
                                                                  "title": "Même réseau"},
                     HTTP_IF_MATCH=factories.if_match(declaration), format="json")
    assert same.status_code == 200 and same.json()["declared_by_network"] == network.id


def test_an_editor_cannot_credit_her_own_declaration_to_her_network_afterwards(mali):
    editor = factories.user()
    member = factories.organisation(editor=editor)
    network = factories.network(coordinator=factories.user(), members=[member])
    declaration = factories.intervention_in_units(member, state="draft")
    before = factories.registry_snapshot()
    refused = client_for(editor).patch(f"/api/v1/interventions/{declaration.id}/",
                                       {"declared_by_network": network.id},
                                       HTTP_IF_MATCH=factories.if_match(declaration), format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "declared_by_network_fixed"
    assert factories.registry_snapshot() == before


@pytest.mark.parametrize(("who", "may"), [("coordinator", True), ("pending_coordinator", False),
                                          ("member_editor", False), ("admin", True), ("visitor", False)])
def test_who_may_declare_in_a_networks_name(who, may):
    from geo_backend.organisations import access
    from geo_backend.organisations.models import Organisation

    people = {"coordinator": factories.user(), "pending_coordinator": factories.user(),
              "member_editor": factories.user(), "admin": factories.user(superuser=True), "visitor": None}
    member = factories.organisation(editor=people["member_editor"])
    network = factories.network(coordinator=people["coordinator"], members=[member])
    pending = factories.network(coordinator=people["pending_coordinator"], members=[member])
    Organisation.objects.filter(pk=pending.pk).update(status="pending")
    network_id = pending.id if who == "pending_coordinator" else network.id
    person = people[who]
    audience = access.audience_for(type(person).objects.get(pk=person.pk)) if person else access.VISITOR
    assert access.can_declare_for_network(audience, network_id=network_id) is may
