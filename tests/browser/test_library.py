"""The library in Debian's Chromium: an editor publishes an audio testimony with its transcript, a visitor finds
it by a word of the transcript and plays it; an event with its report and recommendations shows on the
organisation's profile and in the calendar feed; a document opened online opens again offline.

The task queue's real worker runs beside the test server (`manage.py procrastinate worker`, as `make run` starts
it), against the same test database: the compact audio the visitor plays is the one the worker made. A
synchronous mode would test something `make run` never does.
"""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import sign_in

TRANSCRIPT = ("Je m'appelle Kadiatou, personnage fictif. Grâce au quota, les conseillères de Tominian ont obtenu "
              "un forage pour le marché.")
WORD = "forage"


def server_environment() -> dict:
    """The environment of the test server (see conftest.live_url): the test database, the test settings."""
    database = settings.DATABASES["default"]
    url = (f"postgis://{database['USER']}" + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
           + f"@{database['HOST'].replace('/', '%2F')}" + (f":{database['PORT']}" if database.get("PORT") else "")
           + f"/{database['NAME']}")
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "geo_backend.settings.test", "DATABASE_URL": url}


@pytest.fixture(scope="module")
def worker(live_url):
    log = Path(settings.BASE_DIR) / "var" / "browser-worker.log"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "library"],
        cwd=settings.BASE_DIR, env=server_environment(), stdout=log.open("w"), stderr=subprocess.STDOUT)
    yield process
    process.terminate()
    process.wait(timeout=20)


def wav_file(tmp_path: Path) -> Path:
    from tests.library.samples import wav_bytes

    path = tmp_path / "temoignage.wav"
    path.write_bytes(wav_bytes(4.0))
    return path


def pdf_file(tmp_path: Path) -> Path:
    from tests.library.samples import pdf_bytes

    path = tmp_path / "rapport-panel.pdf"
    path.write_bytes(pdf_bytes("Rapport du panel : trois recommandations des participantes."))
    return path


def publish(page, *, title, kind, upload: Path, transcript="") -> int:
    page.goto("/bibliotheque/documents/nouveau/")
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Type de document").select_option(kind)
    page.locator("#id_file").set_input_files(str(upload))
    if transcript:
        page.locator("#id_transcript").fill(transcript)
    page.click("#document-submit")
    page.wait_for_load_state("load")
    errors = page.locator("#document-form .error").all_inner_texts()
    assert not errors, errors
    page.wait_for_url(re.compile(r"/bibliotheque/documents/\d+/$"))
    assert page.inner_text("h1") == title
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def wait_until_processed(page, document_id: int, field: str, timeout_s: float = 90) -> dict:
    """Polls the API (every half second, up to timeout_s) until the worker has made the file's compact copy or
    thumbnail; returns the file as the API shows it. Polled from Python: a predicate returning a promise is
    truthy at once, so `wait_for_function` with an async predicate did not wait (the page then offered only the
    original, the compact copy being still in preparation)."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = page.request.get(f"/api/v1/documents/{document_id}/")
        assert response.ok, response.status
        files = response.json()["files"]
        if files and files[0][field] is not None:
            return files[0]
        assert time.monotonic() < deadline, f"the worker did not make {field} in {timeout_s} s: {files}"
        page.wait_for_timeout(500)


def ranged(page, url: str) -> tuple[int, str, int]:
    """Status, Content-Range and body length of a request for the first 10 bytes of url."""
    response = page.request.get(url, headers={"Range": "bytes=0-9"})
    return response.status, response.headers.get("content-range", ""), len(response.body())


def test_editor_publishes_an_audio_testimony_a_visitor_finds_it_by_its_transcript_and_plays_it(
        browser, live_url, worker, tmp_path):
    title = f"Témoignage d'une conseillère (exemple fictif) {time.time_ns()}"
    editor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = editor.new_page()
    sign_in(page, "demo-editrice")
    document_id = publish(page, title=title, kind="temoignage-audio", upload=wav_file(tmp_path),
                          transcript=TRANSCRIPT)
    processed = wait_until_processed(page, document_id, "compact_url")
    editor.close()

    visitor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = visitor.new_page()
    page.goto("/bibliotheque/")
    page.fill("#q", WORD)
    page.click("#library-search button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=title).click()
    page.wait_for_url(f"**/bibliotheque/documents/{document_id}/")
    # Before playing: the duration and what listening costs (the compact copy's size), the original one click away.
    cost = page.inner_text(".library-cost")
    assert "Durée" in cost and "0:04" in cost
    assert processed["compact_size_bytes"] < processed["size_bytes"]
    original_link = page.locator("a.library-original")
    assert original_link.get_attribute("href") == processed["url"]
    assert "original" in original_link.inner_text()
    assert WORD in page.inner_text(".library-transcript")
    # The compact voice copy is the first source: what a phone plays unless it cannot read Opus.
    sources = page.evaluate("() => [...document.querySelectorAll('audio source')].map(s => s.getAttribute('src'))")
    assert sources == [processed["compact_url"], processed["url"]]
    # Both answer range requests (seeking, resuming on a poor connection).
    for url in sources:
        status, content_range, length = ranged(page, url)
        assert (status, length) == (206, 10) and content_range.startswith("bytes 0-9/"), (url, status, content_range)
    # Once the service worker has taken the page over (it kept the page for offline use), so that its arrival
    # does not interrupt the audio's first request.
    page.wait_for_selector("#library-document[data-offline='light']")
    audio = page.locator("audio").first
    audio.click()  # a user gesture, then play
    audio.evaluate("a => a.play()")
    # Playing is checked on the element's own state: through the service worker once it controls the page, the
    # network events do not show the audio's requests.
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0", timeout=30000)
    assert audio.evaluate("a => a.currentSrc").endswith(processed["compact_url"])
    assert audio.evaluate("a => a.duration") == pytest.approx(4.0, abs=0.2)
    visitor.close()


def test_an_event_with_its_report_and_recommendations_shows_on_the_profile_and_in_the_calendar(
        browser, live_url, worker, tmp_path, django_db_blocker):
    from geo_backend.organisations.models import OrganisationRole

    with django_db_blocker.unblock():
        organisation = OrganisationRole.objects.select_related("organisation").filter(
            user__username="demo-editrice", role="editor").first().organisation
    stamp = time.time_ns()
    report_title = f"Rapport du panel des élues (exemple fictif) {stamp}"
    event_title = f"Panel des élues expérimentées et débutantes (exemple fictif) {stamp}"
    editor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = editor.new_page()
    sign_in(page, "demo-editrice")
    report_id = publish(page, title=report_title, kind="rapport", upload=pdf_file(tmp_path))
    created = page.evaluate("""body => Musoya.api("POST", "/api/v1/events/", body)""", {
        "organisation": organisation.id, "title": event_title, "kind": "panel",
        "starts_at": "2031-03-08T09:00:00+00:00", "ends_at": "2031-03-08T16:00:00+00:00",
        "venue": "Maison de la femme (exemple fictif)", "place": "ML04", "report": report_id,
        "participants_women": 38,
        "participants_men": 4, "recommendations": ["Créer un mentorat entre élues", "Former les candidates"]})
    assert created["status"] == 201, created
    editor.close()

    visitor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = visitor.new_page()
    page.goto(f"/organisations/{organisation.slug}/")
    event_link = page.locator("#profile-events li", has_text=event_title)
    assert "2 recommandations" in event_link.inner_text()
    assert page.locator("#profile-documents", has_text=report_title).is_visible()
    event_link.get_by_role("link", name=event_title).click()
    page.wait_for_url("**/evenements/*/")
    assert page.locator("#recommendations li").count() == 2
    assert page.inner_text("#event-report") == report_title
    calendar = page.request.get("/flux/evenements.ics")
    assert calendar.ok and calendar.headers["content-type"].startswith("text/calendar")
    assert event_title.encode() in calendar.body().replace(b"\r\n ", b"")
    page.goto("/")  # upcoming: on the home page's list and its map
    assert page.locator(".upcoming-events", has_text=event_title).is_visible()
    page.wait_for_selector("#map[data-events]")
    titles = page.evaluate("() => musoyaEventsLayer.getLayers().map(l => l.feature.properties.title)")
    assert event_title in titles
    visitor.close()


def test_a_document_opened_online_opens_again_offline(browser, live_url, worker, tmp_path):
    title = f"Fiche pratique hors ligne (exemple fictif) {time.time_ns()}"
    editor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = editor.new_page()
    sign_in(page, "demo-editrice")
    document_id = publish(page, title=title, kind="temoignage-audio", upload=wav_file(tmp_path),
                          transcript=TRANSCRIPT)
    wait_until_processed(page, document_id, "compact_url")
    editor.close()

    context = browser.new_context(base_url=live_url, locale="fr-FR")
    page = context.new_page()
    page.goto("/")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.goto(f"/bibliotheque/documents/{document_id}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#library-document[data-offline='light']")
    page.click("#keep-offline")
    page.wait_for_selector("#library-document[data-offline='full']")
    compact_url, original_url = page.evaluate(
        "() => [document.querySelector('audio source').src, document.querySelector('[data-keep-full]').href]")

    context.set_offline(True)
    page.goto(f"/bibliotheque/documents/{document_id}/")
    assert page.inner_text("h1") == title
    assert WORD in page.inner_text(".library-transcript")
    statuses = page.evaluate("""urls => Promise.all(urls.map(u => fetch(u).then(r => r.status)))""",
                             [compact_url, original_url])
    assert statuses == [200, 200]
    ranged = page.evaluate("""url => fetch(url, {headers: {Range: "bytes=0-9"}})
        .then(r => r.arrayBuffer().then(b => [r.status, b.byteLength]))""", compact_url)
    assert ranged == [206, 10]
    context.set_offline(False)
    context.close()


@pytest.mark.parametrize("path", ["/bibliotheque/", "/evenements/", "/bibliotheque/campagnes/"])
def test_library_pages_have_no_serious_accessibility_violation(page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(path)
    page.wait_for_load_state("networkidle")
    serious = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_a_campaign_page_maps_its_places(browser, live_url, django_db_blocker):
    from geo_backend.organisations.models import OrganisationRole

    with django_db_blocker.unblock():
        organisation = OrganisationRole.objects.filter(user__username="demo-editrice", role="editor").first()
    editor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = editor.new_page()
    sign_in(page, "demo-editrice")
    created = page.evaluate("""body => Musoya.api("POST", "/api/v1/campaigns/", body)""", {
        "organisation": organisation.organisation_id, "title": f"Quota à Ségou (exemple fictif) {time.time_ns()}",
        "message": "Appliquer la loi n°2015-052.", "places": ["ML04", "ML0401"]})
    assert created["status"] == 201, created
    editor.close()
    visitor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = visitor.new_page()
    page.goto(f"/bibliotheque/campagnes/{created['body']['id']}/")
    page.wait_for_selector("#campaign-map[data-places='2']")
    assert page.locator("#campaign-map path.leaflet-interactive, #campaign-map canvas").count() >= 1
    visitor.close()
