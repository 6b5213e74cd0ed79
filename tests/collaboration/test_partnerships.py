"""Partnership rules beyond the permission matrix: nobody accepts their own proposal, one pending proposal per pair,
states move one way, the two organisations read the messages and history, everyone else the accepted ones only."""
import pytest

from geo_backend.collaboration.models import Partnership
from geo_backend.collaboration.services import partnerships as services
from geo_backend.common.errors import DomainError
from geo_backend.common.locking import StaleVersion
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import OrganisationRole
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme
from tests import factories

from .conftest import SEGOU_COMMUNE

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def propose(world, as_role="editor", proposer=None, partner=None, **changes):
    arguments = {"proposer": proposer or world.org, "partner": partner or world.other_org, "role": "coordination",
                 "areas": list(AdminUnit.objects.filter(pcode=SEGOU_COMMUNE)),
                 "themes": list(Theme.objects.filter(code="vbg")), "message": "Bonjour", **changes}
    return services.partnership_propose(audience=world.audience(as_role), **arguments)


def test_the_editor_of_both_organisations_cannot_accept_her_own_proposal(world):
    both = world.people["editor"]
    OrganisationRole.objects.create(user=both, organisation=world.other_org, role="editor")
    proposal = propose(world)
    with pytest.raises(DomainError) as refused:
        services.partnership_accept(audience=audience_for(both), partnership=proposal,
                                    expected_version=proposal.version)
    assert refused.value.status_code == 403 and "propre proposition" in refused.value.message_fr
    # Another editor of the partner organisation answers.
    colleague = factories.user()
    OrganisationRole.objects.create(user=colleague, organisation=world.other_org, role="editor")
    accepted = services.partnership_accept(audience=audience_for(colleague), partnership=proposal,
                                           expected_version=proposal.version)
    assert accepted.status == "accepted" and accepted.decided_by == colleague and accepted.since is not None


def test_an_administrator_who_proposed_cannot_accept_either(world):
    proposal = propose(world, as_role="admin")
    with pytest.raises(DomainError) as refused:
        services.partnership_accept(audience=world.audience("admin"), partnership=proposal,
                                    expected_version=proposal.version)
    assert refused.value.status_code == 403


def test_one_pending_proposal_per_pair_whichever_side_proposes(world):
    propose(world)
    with pytest.raises(DomainError) as twice:
        propose(world)
    assert twice.value.code == "partnership_pending_exists" and twice.value.status_code == 409
    with pytest.raises(DomainError) as back:
        propose(world, as_role="other_editor", proposer=world.other_org, partner=world.org)
    assert back.value.code == "partnership_pending_exists"
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize(("changes", "code"), [
    ({"areas": []}, "areas_required"), ({"themes": []}, "themes_required"), ({"role": "friendship"}, "invalid_role"),
])
def test_a_proposal_names_places_themes_and_a_known_role(world, changes, code):
    with pytest.raises(DomainError) as refused:
        propose(world, **changes)
    assert refused.value.code == code
    assert not Partnership.objects.exists()


def test_no_partnership_with_oneself_or_a_pending_organisation(world):
    with pytest.raises(DomainError) as itself:
        propose(world, partner=world.org)
    assert itself.value.code == "partnership_self"
    pending = factories.organisation(status="pending")
    with pytest.raises(DomainError) as inactive:
        propose(world, partner=pending)
    assert inactive.value.code == "organisation_not_active"


def test_answered_proposals_cannot_be_answered_again_and_stale_answers_are_refused(world):
    proposal = propose(world)
    declined = services.partnership_decline(audience=world.audience("other_editor"), partnership=proposal,
                                            expected_version=proposal.version, note="Pas cette année")
    with pytest.raises(DomainError) as again:
        services.partnership_accept(audience=world.audience("other_editor"), partnership=declined,
                                    expected_version=declined.version)
    assert again.value.code == "invalid_transition" and again.value.status_code == 409
    fresh = propose(world)
    with pytest.raises(StaleVersion):
        services.partnership_accept(audience=world.audience("other_editor"), partnership=fresh,
                                    expected_version=fresh.version + 1)


def test_the_history_and_messages_are_for_the_two_organisations(world):
    proposal = propose(world)
    services.partnership_decline(audience=world.audience("other_editor"), partnership=proposal,
                                 expected_version=proposal.version, note="Nous manquons de moyens")
    for role in ("editor", "other_editor"):
        body = factories.api_client(world.people[role]).get(f"/api/v1/partnerships/{proposal.id}/").json()
        assert [e["kind"] for e in body["history"]] == ["proposed", "declined"]
        assert body["history"][1]["note"] == "Nous manquons de moyens" and body["message"] == "Bonjour"
    for role in ("visitor", "coordinator", "donor"):
        response = factories.api_client(world.people[role]).get(f"/api/v1/partnerships/{proposal.id}/")
        assert response.status_code == 404, role


def test_accepted_partnerships_are_public_without_their_messages(world):
    accepted = world.partnership
    visitor = factories.api_client(None)
    body = visitor.get(f"/api/v1/partnerships/{accepted.id}/").json()
    assert body["status"] == "accepted" and "message" not in body and "history" not in body
    listed = visitor.get(f"/api/v1/partnerships/?organisation={world.org.id}").json()
    assert [p["id"] for p in listed["results"]] == [accepted.id]
    geojson = visitor.get("/api/v1/partnerships/map/").json()
    (feature,) = geojson["features"]
    assert feature["id"] == accepted.id and feature["geometry"]["type"] == "MultiPolygon"
    assert visitor.get("/api/v1/partnerships/?statut=accepted").json()["code"] == "unknown_parameter"


def test_an_unknown_place_or_theme_is_refused_by_name(world):
    response = factories.api_client(world.people["editor"]).post("/api/v1/partnerships/", {
        "proposer": world.org.id, "partner": world.other_org.id, "role": "coordination",
        "areas": [SEGOU_COMMUNE, "ML999999"], "themes": ["vbg", "astrologie"]}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["codes"] == ["ML999999", "astrologie"]
