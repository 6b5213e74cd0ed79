"""Mentoring pairs: recorded by the network's coordinators; the names are read only by them and by the two women of
the pair (do no harm: a mentee can be at risk), never by administrators, donors, visitors or other networks."""
import pytest

from geo_backend.collaboration.services import mentoring as services
from geo_backend.common.errors import DomainError
from geo_backend.taxonomy.models import Theme
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture
def pair(world):
    mentee = factories.user("kadiatou-exemple")
    return services.mentoring_pair_create(
        audience=world.audience("coordinator"), network=world.network, mentor_name="Aminata (exemple)",
        mentee_name="Kadiatou (exemple)", mentee_username=mentee.username,
        themes=list(Theme.objects.filter(code="participation-politique"))), mentee


def test_names_are_read_by_the_coordinators_and_the_pair_only(world, pair, client):
    pair, mentee = pair
    readers = {**world.people, "mentee": mentee}
    for role, person in readers.items():
        api = factories.api_client(person)
        listed = api.get("/api/v1/mentoring/pairs/")
        detail = api.get(f"/api/v1/mentoring/pairs/{pair.id}/")
        if role in ("coordinator", "mentee"):
            assert listed.json()["results"][0]["mentee_name"] == "Kadiatou (exemple)", role
            assert detail.status_code == 200
        else:
            assert detail.status_code == 404, role
            assert "Kadiatou" not in listed.content.decode(), role
        page = client.get("/espace/mentorat/") if person is None else None
        if person is not None:
            client.force_login(person)
            page = client.get("/espace/mentorat/")
            assert ("Kadiatou" in page.content.decode()) == (role in ("coordinator", "mentee")), role
            client.logout()
    counts = factories.api_client(None).get("/api/v1/mentoring/counts/").json()["results"]
    assert [(c["network"]["id"], c["active"]) for c in counts] == [(world.network.id, 1)]
    assert "Kadiatou" not in str(counts) and "Aminata" not in str(counts)


def test_the_coordinator_keeps_a_follow_up_log_then_closes_the_pair(world, pair):
    pair, _mentee = pair
    coordinator = world.audience("coordinator")
    services.mentoring_log_add(audience=coordinator, pair=pair, date=None, note="Préparation d'une prise de parole")
    closed = services.mentoring_pair_close(audience=coordinator, pair=pair, expected_version=pair.version)
    assert closed.status == "closed" and closed.ended_on is not None
    with pytest.raises(DomainError) as after:
        services.mentoring_log_add(audience=coordinator, pair=closed, date=None, note="Encore")
    assert after.value.code == "pair_closed"
    assert closed.log.count() == 1
