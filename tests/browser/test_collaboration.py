"""Collaboration in Chromium: a partnership proposed from the dashboard's overlaps view and accepted by the other
organisation; an organisation asking to join a network and its coordinator accepting; a self-assessment filled by
an editor and seen by the coordinator in the network's needs map. Demo accounts (password musoya-demo)."""
import datetime as dt
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import sign_in

TIMEOUT = 30_000


@pytest.fixture(scope="module")
def demo(site_data, django_db_blocker):
    """The collaboration demo over the session's demo data (committed), and what the tests need to know of it.
    What these tests create is removed first, so that they can run again on a kept database."""
    from django.contrib.auth import get_user_model

    from geo_backend.collaboration.models import Assessment, Partnership
    from geo_backend.organisations.models import Membership, Organisation

    with django_db_blocker.unblock():
        call_command("seed_collaboration_demo", verbosity=0)
        users = get_user_model().objects
        editor_org = Organisation.objects.get(roles__user=users.get(username="demo-editrice"), roles__role="editor")
        partner_org = Organisation.objects.get(roles__user=users.get(username="demo-partenaire"))
        network = Organisation.objects.get(roles__user=users.get(username="demo-coordinatrice"),
                                           roles__role="coordinator")
        Partnership.objects.filter(proposer=editor_org, partner=partner_org).delete()
        Membership.objects.filter(network=network, member=partner_org).delete()
        Assessment.objects.filter(organisation=editor_org, year=dt.date.today().year).delete()
        return {"editor_org": editor_org, "partner_org": partner_org, "network": network}


def signed_in_page(browser, live_url, username):
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, username)
    return context, page


def proposal_link_in_overlaps(page, partner_name: str):
    """The "propose a partnership" link of the overlap with the partner, going through the table's pages."""
    page.wait_for_selector("#ovl-table td", timeout=TIMEOUT)
    for _ in range(20):
        row = page.locator("#ovl-table tr", has_text=partner_name)
        if row.count():
            return row.first.get_by_role("link", name="Proposer un partenariat")
        next_page = page.locator("#ovl-next")
        if not next_page.count() or next_page.is_disabled():
            break
        first_row = page.locator("#ovl-table tbody tr").first.inner_text()
        next_page.click()
        page.wait_for_function("t => document.querySelector('#ovl-table tbody tr').innerText !== t",
                               arg=first_row, timeout=TIMEOUT)
    raise AssertionError(f"no overlap with {partner_name} in the table")


def test_a_partnership_proposed_from_the_overlaps_view_is_accepted_and_shown_on_both_profiles(browser, live_url,
                                                                                               demo):
    editor_org, partner_org = demo["editor_org"], demo["partner_org"]
    message = f"Nos cliniques juridiques se recouvrent : coordonnons-nous ({time.time_ns()})."
    editor, page = signed_in_page(browser, live_url, "demo-editrice")
    page.goto("/tableau-de-bord/chevauchements?niveau=3&themes=acces-justice")
    proposal_link_in_overlaps(page, partner_org.name).click()
    page.wait_for_url("**/espace/partenariats/proposer/**")
    expect(page.locator("#id_partner")).to_have_value(str(partner_org.id))
    expect(page.locator('input[name="themes"][value="acces-justice"]')).to_be_checked()
    assert page.locator('input[name="communes"]:checked').count() >= 1
    page.fill("#id_message", message)
    page.click("#send-proposal")
    page.wait_for_url("**/espace/partenariats/*/")
    expect(page.locator("#partnership-status")).to_have_text("Proposé")
    editor.close()

    partner, page = signed_in_page(browser, live_url, "demo-partenaire")
    page.goto("/espace/partenariats/")
    page.locator("#to-answer").get_by_role("link", name=f"{editor_org.name} ↔ {partner_org.name}").click()
    expect(page.get_by_text(message, exact=True)).to_be_visible()  # the message (the history quotes it too)
    page.click("#accept-partnership")
    expect(page.locator("#partnership-status")).to_have_text("Accepté")
    for organisation, other in ((editor_org, partner_org), (partner_org, editor_org)):
        page.goto(f"/organisations/{organisation.slug}/")
        expect(page.locator("#profile-partnerships")).to_contain_text(other.name)
    partner.close()


def test_an_organisation_asks_to_join_a_network_and_its_coordinator_accepts(browser, live_url, demo):
    partner_org, network = demo["partner_org"], demo["network"]
    partner, page = signed_in_page(browser, live_url, "demo-partenaire")
    page.goto(f"/organisations/{network.slug}/")
    page.get_by_role("link", name="Demander à rejoindre ce réseau").click()
    expect(page.locator("#join-network")).to_have_value(str(network.id))
    page.click("#ask-to-join")
    expect(page.locator(".messages")).to_contain_text("Demande envoyée")
    expect(page.locator("#my-applications")).to_contain_text(network.name)
    partner.close()

    coordinator, page = signed_in_page(browser, live_url, "demo-coordinatrice")
    page.locator("#notifications-menu summary").click()
    expect(page.locator("#notifications-menu")).to_contain_text(f"{partner_org.name} demande à rejoindre")
    page.goto("/espace/adhesions/")
    page.locator("#applications-to-answer li", has_text=partner_org.name).get_by_role("button",
                                                                                      name="Accepter").click()
    expect(page.locator(".messages")).to_contain_text("Adhésion acceptée")
    expect(page.locator("#network-members")).to_contain_text(partner_org.name)
    coordinator.close()


def test_an_editor_fills_the_self_assessment_and_the_coordinator_sees_it_in_the_needs_map(browser, live_url, demo):
    editor_org, network = demo["editor_org"], demo["network"]
    editor, page = signed_in_page(browser, live_url, "demo-editrice")
    page.goto("/espace/auto-evaluation/")
    for fieldset in page.locator("fieldset.dimension").all():
        score = "1" if "Gestion financière" in fieldset.locator("legend").inner_text() else "3"
        for question in fieldset.locator(".question").all():
            question.locator(f'input[type="radio"][value="{score}"]').check()
    page.locator("textarea").first.fill("Pas encore de budget annuel écrit.")
    page.click("#submit-assessment")
    expect(page.locator("#assessment-status")).to_contain_text("Envoyée")
    editor.close()

    coordinator, page = signed_in_page(browser, live_url, "demo-coordinatrice")
    page.goto("/espace/")
    page.get_by_role("link", name=f"Besoins des membres de {network.name}").click()
    row = page.locator("#member-needs tr", has_text=editor_org.name)
    expect(row).to_contain_text(str(dt.date.today().year))
    finances = page.locator("#member-needs th").all_inner_texts().index("Gestion financière")
    assert row.locator("td, th").nth(finances).inner_text().strip() in ("1,0", "1.0")
    page.select_option("#needs-dimension", "finances")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_function("() => document.getElementById('needs-map').dataset.regions !== undefined",
                           timeout=TIMEOUT)
    assert int(page.get_attribute("#needs-map", "data-regions")) >= 1
    coordinator.close()
