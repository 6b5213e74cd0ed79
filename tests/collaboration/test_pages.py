"""The collaboration pages answer, in French first, with no inline script (a CSP without 'unsafe-inline' is coming),
and their forms go through the services."""
import re
from pathlib import Path

import pytest
from django.conf import settings

from geo_backend.collaboration.models import Partnership
from geo_backend.organisations.models import Membership, OrganisationRole

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

TEMPLATES = Path(settings.BASE_DIR) / "geo_backend" / "collaboration" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def signed_in(client, person):
    client.force_login(person)
    return client


def test_templates_have_no_inline_script_or_event_handler():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not INLINE_SCRIPT.search(text), template
        assert not INLINE_HANDLER.search(text), template


@pytest.mark.parametrize("url", ["/partenariats/", "/formations/", "/besoins/", "/formations/calendrier.ics"])
def test_public_pages_answer(client, world, url):
    world.partnership, world.training  # noqa: B018 - something to show
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".ics"):
        assert response["Content-Type"].startswith("text/calendar")
    else:
        page = response.content.decode()
        assert '<html lang="fr">' in page
        assert not INLINE_SCRIPT.search(page.split("</main>")[0].split("<main")[1])


@pytest.mark.parametrize(("role", "url"), [
    ("editor", "/espace/partenariats/"), ("editor", "/espace/partenariats/proposer/"),
    ("editor", "/espace/adhesions/"), ("coordinator", "/espace/adhesions/"),
    ("editor", "/espace/auto-evaluation/"), ("coordinator", "/espace/mentorat/"), ("editor", "/notifications/"),
    ("editor", "/espace/formations/nouvelle/"), ("editor", "/espace/"),
    ("editor", "/espace/organisations/{org}/modifier/"),
    ("coordinator", "/espace/reseaux/{network}/besoins/"), ("coordinator", "/espace/organisations/{org}/inviter/"),
])
def test_signed_in_pages_answer(client, world, role, url):
    url = url.format(org=world.org.slug, network=world.network.id)
    response = signed_in(client, world.people[role]).get(url)
    assert response.status_code == 200, url
    assert 'id="notifications-menu"' in response.content.decode()


@pytest.mark.parametrize(("role", "url"), [
    ("editor", "/espace/reseaux/{network}/besoins/"), ("other_coordinator", "/espace/reseaux/{network}/besoins/"),
    ("other_editor", "/espace/organisations/{org}/modifier/"), ("editor", "/espace/organisations/{org}/inviter/"),
    ("donor", "/espace/reseaux/{network}/besoins/"),
])
def test_pages_of_others_answer_404(client, world, role, url):
    url = url.format(org=world.org.slug, network=world.network.id)
    assert signed_in(client, world.people[role]).get(url).status_code == 404


def test_a_partnership_proposed_from_an_overlap_link_is_prefilled_then_sent(client, world):
    client = signed_in(client, world.people["editor"])
    page = client.get(f"/espace/partenariats/proposer/?organisation={world.org.id}&partenaire={world.other_org.id}"
                      f"&communes=ML040224&themes=vbg").content.decode()
    assert 'value="ML040224"' in page and "checked" in page
    response = client.post("/espace/partenariats/proposer/", {
        "offered": "ML040224", "proposer": world.org.id, "partner": world.other_org.id, "role": "coordination",
        "communes": ["ML040224"], "themes": ["vbg"], "message": "Nos causeries se recouvrent à Ségou."})
    partnership = Partnership.objects.get(proposer=world.org, partner=world.other_org)
    assert response.status_code == 302 and response["Location"] == f"/espace/partenariats/{partnership.id}/"
    assert [a.pcode for a in partnership.areas.all()] == ["ML040224"]
    assert partnership.status == "proposed" and partnership.proposed_by == world.people["editor"]


def test_the_other_organisation_accepts_and_both_profiles_show_it(client, world):
    proposal = world.proposal
    client = signed_in(client, world.people["other_editor"])
    detail = client.get(f"/espace/partenariats/{proposal.id}/").content.decode()
    assert "Coordonnons nos causeries" in detail  # the message, for the two organisations
    client.post(f"/espace/partenariats/{proposal.id}/accepter/", {"version": proposal.version})
    assert Partnership.objects.get(pk=proposal.pk).status == "accepted"
    for organisation, other in ((world.org, world.other_org), (world.other_org, world.org)):
        section = client.get(f"/organisations/{organisation.slug}/").content.decode().split(
            'id="profile-partnerships"')[1].split("</section>")[0]
        assert other.name in section


def test_the_proposer_is_not_offered_to_accept_her_own_proposal(client, world):
    both = world.people["editor"]
    OrganisationRole.objects.create(user=both, organisation=world.other_org, role="editor")
    page = signed_in(client, both).get(f"/espace/partenariats/{world.proposal.id}/").content.decode()
    assert 'id="accept-partnership"' not in page
    client.post(f"/espace/partenariats/{world.proposal.id}/accepter/", {"version": world.proposal.version})
    assert Partnership.objects.get(pk=world.proposal.pk).status == "proposed"


def test_an_organisation_asks_to_join_and_the_coordinator_accepts(client, world):
    editor_client = signed_in(client, world.people["other_editor"])
    editor_client.post("/espace/adhesions/demande/", {"network": world.network.id, "member": world.other_org.id})
    application = Membership.objects.get(network=world.network, member=world.other_org)
    assert application.status == "applied"
    from django.test import Client

    coordinator = signed_in(Client(), world.people["coordinator"])
    page = coordinator.get("/espace/adhesions/").content.decode()
    assert world.other_org.name in page.split('id="applications-to-answer"')[1].split("</ul>")[0]
    coordinator.post(f"/espace/adhesions/{application.id}/accepter/", {"version": application.version})
    application.refresh_from_db()
    assert application.status == "accepted" and application.decided_by == world.people["coordinator"]


def test_a_network_invites_an_organisation_which_accepts(client, world):
    coordinator = signed_in(client, world.people["coordinator"])
    coordinator.post("/espace/adhesions/demande/", {"network": world.network.id, "member": world.other_org.id})
    invitation = Membership.objects.get(network=world.network, member=world.other_org)
    assert invitation.status == "invited"
    from django.test import Client

    member = signed_in(Client(), world.people["other_editor"])
    member.post(f"/espace/adhesions/{invitation.id}/accepter/", {"version": invitation.version})
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_someone_else_cannot_answer_an_application(client, world):
    application = Membership.objects.create(network=world.network, member=world.other_org, status="applied")
    signed_in(client, world.people["other_coordinator"]).post(f"/espace/adhesions/{application.id}/accepter/",
                                                             {"version": application.version})
    application.refresh_from_db()
    assert application.status == "applied"


def test_pages_speak_english_when_asked(client, world):
    client.force_login(world.people["editor"])
    page = client.get("/en/espace/partenariats/").content.decode()
    assert "Our partnerships" in page and "Proposals to answer" in page
    assert "Capacity self-assessment" in client.get("/en/espace/auto-evaluation/").content.decode()


def test_a_visitor_reads_an_accepted_partnership_without_its_messages(client, world):
    page = client.get(f"/espace/partenariats/{world.partnership.id}/")
    assert page.status_code == 200 and world.org.name in page.content.decode()
    assert 'id="partnership-history"' not in page.content.decode()
    assert client.get(f"/espace/partenariats/{world.proposal.id}/").status_code == 404


def test_a_crafted_commune_in_a_partnership_link_is_left_out_not_a_500(client, world):
    client = signed_in(client, world.people["editor"])
    page = client.get("/espace/partenariats/proposer/", {"communes": "ML040224,ML04\x00,<b>"})
    assert page.status_code == 200
    assert 'value="ML040224"' in page.content.decode() and "ML04\x00" not in page.content.decode()
    sent = client.post("/espace/partenariats/proposer/", {
        "offered": "ML040224,ML04\x00", "proposer": world.org.id, "partner": world.other_org.id,
        "role": "coordination", "communes": ["ML040224"], "themes": ["vbg"]})
    assert sent.status_code == 302
    assert [a.pcode for a in Partnership.objects.get(proposer=world.org).areas.all()] == ["ML040224"]


@pytest.mark.parametrize(("prefix", "title"), [("", "Formulaire expiré"), ("/en", "Form expired")])
def test_a_form_sent_without_its_token_answers_a_translated_page_saying_to_reload(world, prefix, title):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["editor"])
    before = Partnership.objects.count()
    response = client.post(f"{prefix}/espace/partenariats/proposer/", {
        "proposer": world.org.id, "partner": world.other_org.id, "role": "coordination", "themes": ["vbg"]})
    assert response.status_code == 403
    assert title in response.content.decode()
    assert Partnership.objects.count() == before
