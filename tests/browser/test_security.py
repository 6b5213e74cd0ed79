"""In Chromium: the Content-Security-Policy blocks nothing the site needs, and a shared phone keeps no trace of the
previous person's private pages or queued edits."""
import time

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

# Collects the violations Chromium reports (it also logs them to the console), from before any page script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


@pytest.fixture
def watched(browser, live_url):
    """A browser context that records CSP violations: from the DOM event and from the console."""
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 800})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.csp_console = console
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []") + page.csp_console


def visit(page, path, ready=None, *, blocked_on_purpose=None):
    page.csp_console.clear()
    response = page.goto(path)
    assert "'self'" in response.headers.get("content-security-policy", ""), (path, "no policy in force")
    page.wait_for_load_state("networkidle")
    if ready:
        page.wait_for_function("() => " + ready, timeout=30_000)
    found = [v for v in violations(page) if not (blocked_on_purpose and blocked_on_purpose in v)]
    assert found == [], (path, found)


def test_no_csp_violation_on_the_main_pages(watched, django_db_blocker):
    from geo_backend.organisations.models import Organisation

    with django_db_blocker.unblock():
        slug = Organisation.objects.filter(status="active").values_list("slug", flat=True).first()
    visit(watched, "/", "document.getElementById('map').dataset.zones !== undefined")
    visit(watched, "/organisations/")
    visit(watched, f"/organisations/{slug}/")
    visit(watched, "/a-propos/")
    visit(watched, "/comptes/connexion/")
    visit(watched, "/api/docs/", "document.querySelector('.swagger-ui .info') !== null")
    # ReDoc's sidebar shows Redocly's logo from their CDN (no option turns it off): the policy blocks it, as it
    # should, and ReDoc hides the image when it fails. Nothing else may be blocked.
    visit(watched, "/api/redoc/", "document.querySelector('.api-content') !== null",
          blocked_on_purpose="https://cdn.redoc.ly/redoc/logo-mini.svg")
    sign_in(watched, "demo-editrice")
    visit(watched, "/espace/")
    visit(watched, "/espace/interventions/nouvelle/", "document.querySelector('.leaflet-draw') !== null")


def test_no_csp_violation_on_the_dashboard(watched):
    response = watched.goto("/tableau-de-bord/")
    assert "script-src 'self' 'sha256-" in response.headers.get("content-security-policy", "")
    watched.wait_for_function("() => document.querySelectorAll('#cov-map .choroplethlocation').length > 0",
                              timeout=30_000)
    expect(watched.locator("#cov-summary")).to_contain_text("interventions", timeout=30_000)
    watched.get_by_role("link", name="Zones blanches").click()
    watched.wait_for_function("() => document.querySelectorAll('#gap-map .choroplethlocation').length > 0",
                              timeout=30_000)
    assert violations(watched) == []


def controlled_by_the_service_worker(page):
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)


def test_after_sign_out_the_phone_offline_shows_none_of_the_coordinators_data(phone, django_db_blocker):
    from django.contrib.auth import get_user_model

    from geo_backend.organisations.access import audience_for, visible_interventions_q
    from geo_backend.zones.models import Intervention

    with django_db_blocker.unblock():
        coordinator = audience_for(get_user_model().objects.get(username="demo-coordinatrice"))
        restricted_titles = list(Intervention.objects.filter(visible_interventions_q(coordinator),
                                                             sensitivity="restricted").values_list("title", flat=True))
    assert restricted_titles, "the demo gives the coordinator a member's restricted declaration to review"
    phone.goto("/")
    controlled_by_the_service_worker(phone)
    sign_in(phone, "demo-coordinatrice")
    phone.goto("/espace/validation/")
    phone.wait_for_load_state("networkidle")
    queue_heading = phone.inner_text("h1")
    assert queue_heading == "Déclarations à valider"
    signed_in_answer = phone.evaluate(
        "() => fetch('/api/v1/interventions/?limit=1000', {credentials: 'same-origin'}).then(r => r.text())")
    assert any(title in signed_in_answer for title in restricted_titles), "the coordinator should see restricted ones"

    phone.get_by_role("button", name="Se déconnecter").click()
    phone.wait_for_load_state("networkidle")
    phone.context.set_offline(True)
    phone.goto("/espace/validation/")
    page = phone.content()
    assert "Déclarations à valider" not in page
    assert "demo-coordinatrice" not in page
    cached_answer = phone.evaluate(
        "() => fetch('/api/v1/interventions/?limit=1000', {credentials: 'same-origin'}).then(r => r.text())")
    assert not any(title in cached_answer for title in restricted_titles)
    phone.context.set_offline(False)


def test_one_accounts_queued_edit_is_never_sent_as_another(browser, live_url, django_db_blocker):
    """The issue's scenario: an edit queued offline by one person, whose session then ends on the phone without the
    outbox being sent; the next person signs in (an administrator, who could write it) and must not send it."""
    from geo_backend.zones.models import Intervention

    title = f"Brouillon hors ligne {time.time_ns()}"
    context = browser.new_context(base_url=live_url, locale="fr-FR")
    page = context.new_page()
    page.goto("/")
    controlled_by_the_service_worker(page)
    sign_in(page, "demo-editrice")
    page.goto("/espace/interventions/nouvelle/")
    page.wait_for_load_state("networkidle")
    organisation = page.eval_on_selector("#f-organisation", "select => select.value")
    context.set_offline(True)
    queued = page.evaluate("""([title, organisation]) => MusoyaOutbox.send('POST', '/api/v1/interventions/',
        {organisation: Number(organisation), title: title, themes: ['vbg']}, {label: title})
        .then(result => result.queued)""", [title, organisation])
    assert queued
    page.close()
    context.clear_cookies()  # her session ends on this phone (expired, cleared) before the outbox was sent
    context.set_offline(False)

    page = context.new_page()
    sign_in(page, "demo-admin")  # the next person on the same phone
    page.goto("/espace/interventions/nouvelle/")  # the page that lists the outbox
    page.wait_for_load_state("networkidle")
    page.evaluate("() => MusoyaOutbox.replay()")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => MusoyaOutbox.list().then(entries => entries.length)") == 1  # kept for its owner
    assert page.locator("#pending-list li").count() == 0  # and not shown to someone else
    with django_db_blocker.unblock():
        assert not Intervention.objects.filter(title=title).exists()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")
    sign_in(page, "demo-editrice")  # its owner again: now it is sent, under her account
    page.goto("/espace/")
    page.wait_for_function("() => MusoyaOutbox.list().then(entries => entries.length === 0)", timeout=20_000)
    with django_db_blocker.unblock():
        created = Intervention.objects.get(title=title)
    assert created.organisation_id == int(organisation)
    assert created.created_by.username == "demo-editrice"
    context.close()
