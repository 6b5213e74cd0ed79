"""Joining a network takes both sides' consent: an application the coordinator answers, or an invitation the
organisation answers."""
import pytest
from rest_framework.test import APIClient

from geo_backend.organisations.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_an_application_waits_for_the_network_coordinator():
    editor, coordinator = factories.user(), factories.user()
    member = factories.organisation(editor=editor)
    network = factories.network(coordinator=coordinator)
    applied = client_for(editor).post("/api/v1/memberships/", {"network": network.id, "member": member.id},
                                      format="json")
    assert applied.status_code == 201 and applied.json()["status"] == "applied"
    refused = client_for(editor).post(f"/api/v1/memberships/{applied.json()['id']}/accept/", {"version": 1},
                                      format="json")
    assert refused.status_code == 403
    accepted = client_for(coordinator).post(f"/api/v1/memberships/{applied.json()['id']}/accept/",
                                            {"version": 1}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_a_coordinator_invites_and_only_the_organisation_can_accept():
    editor, coordinator = factories.user(), factories.user()
    member = factories.organisation(editor=editor)
    network = factories.network(coordinator=coordinator)
    invited = client_for(coordinator).post("/api/v1/memberships/", {"network": network.id, "member": member.id},
                                           format="json")
    assert invited.status_code == 201 and invited.json()["status"] == "invited"
    membership_id = invited.json()["id"]
    assert client_for(coordinator).post(f"/api/v1/memberships/{membership_id}/accept/", {"version": 1},
                                        format="json").status_code == 403
    assert Membership.objects.get(pk=membership_id).status == "invited"
    accepted = client_for(editor).post(f"/api/v1/memberships/{membership_id}/accept/", {"version": 1},
                                       format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_an_invited_organisation_is_not_yet_a_member_for_validation():
    from geo_backend.organisations.access import audience_for

    coordinator = factories.user()
    member = factories.organisation()
    network = factories.network(coordinator=coordinator)
    invited = client_for(coordinator).post("/api/v1/memberships/", {"network": network.id, "member": member.id},
                                           format="json")
    assert invited.status_code == 201 and invited.json()["status"] == "invited"
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # a fresh request's view of the person
    assert member.id not in audience_for(coordinator).coordinated_members
