"""The library's pages (French first, no inline script), the profile's lists, the upload form, and the feeds of
public records (iCalendar, Atom)."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from geo_backend.library.models import Document
from geo_backend.library.services import advocacy
from geo_backend.library.services.documents import Upload, document_create
from geo_backend.organisations.access import audience_for
from tests import factories

from . import samples
from .jobs import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(editor, org):
    owner = audience_for(editor)
    report = document_create(audience=owner, organisation=org, fields={
        "title": "Rapport du panel des élues (exemple fictif)", "kind": "rapport"}, relations={},
        uploads=[Upload(samples.upload("rapport.pdf", samples.pdf_bytes("Recommandations du panel")))])
    audio = document_create(audience=owner, organisation=org, fields={
        "title": "Témoignage audio (exemple fictif)", "kind": "temoignage-audio", "language": "bm"}, relations={},
        uploads=[Upload(samples.upload("t.wav", samples.wav_bytes(2.0)), transcript="Le quota change tout.")])
    hidden = document_create(audience=owner, organisation=org, fields={
        "title": "Note interne", "kind": "rapport", "visibility": "members",
        "external_url": "https://example.org/x"}, relations={})
    soon = timezone.now() + timedelta(days=10)
    event = advocacy.event_create(audience=owner, organisation=org, fields={
        "title": "Journée d'échange des élues (exemple fictif)", "kind": "echange", "starts_at": soon,
        "venue": "Maison de la femme", "report": report, "participants_women": 40, "participants_men": 5},
        relations={}, recommendations=["Créer un réseau de mentorat", "Former les jeunes candidates"])
    private_event = advocacy.event_create(audience=owner, organisation=org, fields={
        "title": "Réunion interne", "starts_at": soon, "visibility": "private"}, relations={})
    campaign = advocacy.campaign_create(audience=owner, organisation=org, fields={
        "title": "Appliquer le quota de 30 % (exemple fictif)", "message": "Loi n°2015-052"},
        relations={"documents": [report, hidden]})
    news = advocacy.news_create(audience=owner, organisation=org, fields={
        "title": "Le panel a eu lieu (exemple fictif)", "body": "Quarante participantes.",
        "published_at": timezone.now(), "event": event})
    run_jobs()
    return {"report": report, "audio": audio, "hidden": hidden, "event": event, "private_event": private_event,
            "campaign": campaign, "news": news}


def no_inline_script(html: str) -> bool:
    """Every <script> has a src or is a JSON data block; no on…= handler attribute."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" not in tag and 'type="application/json"' not in tag:
            return False
    return not re.search(r"<[^>]+\son[a-z]+\s*=", html)


def test_library_page_searches_and_filters(client, library):
    page = client.get("/bibliotheque/", {"q": "quota"}).content.decode()
    assert '<html lang="fr">' in page and "Témoignage audio (exemple fictif)" in page
    assert "Rapport du panel" not in page and no_inline_script(page)
    by_language = client.get("/bibliotheque/", {"language": "bm"}).content.decode()
    assert "Témoignage audio" in by_language and "Rapport du panel" not in by_language


def test_document_page_plays_the_compact_audio_first_with_its_cost_shown(client, library):
    audio = library["audio"].files.get()
    page = client.get(f"/bibliotheque/documents/{library['audio'].id}/").content.decode()
    assert '<audio controls preload="none"' in page
    sources = re.findall(r'<source src="([^"]+)"', page)
    assert sources == [f"/fichiers/{audio.id}/compact/", f"/fichiers/{audio.id}/original/"]
    assert "Durée <strong>0:02</strong>" in page
    assert "Kio à écouter" in page and "Le quota change tout." in page and "Garder hors ligne" in page
    assert no_inline_script(page)


def test_document_page_shows_the_pdf_thumbnail_and_download(client, library):
    document_file = library["report"].files.get()
    page = client.get(f"/bibliotheque/documents/{library['report'].id}/").content.decode()
    assert f"/fichiers/{document_file.id}/thumbnail/" in page and f"/fichiers/{document_file.id}/original/" in page
    assert "Journée d&#x27;échange des élues" in page  # the event it reports on


def test_profile_lists_documents_campaigns_and_events_instead_of_the_old_notice(client, org, library):
    page = client.get(f"/organisations/{org.slug}/").content.decode()
    assert "pas encore ouverte" not in page
    for title in ("Rapport du panel des élues", "Témoignage audio", "Appliquer le quota de 30 %",
                  "Journée d&#x27;échange des élues"):
        assert title in page
    assert "Note interne" not in page and "Réunion interne" not in page
    assert "2 recommandations" in page


def test_event_page_shows_its_report_recommendations_and_participation(client, library):
    page = client.get(f"/evenements/{library['event'].id}/").content.decode()
    assert "Créer un réseau de mentorat" in page and "Ouverte" in page
    assert "40 femmes, 5 hommes" in page and "Rapport du panel des élues" in page
    assert client.get(f"/evenements/{library['private_event'].id}/").status_code == 404


def test_events_page_and_home_list_upcoming_events(client, library):
    assert "Journée d&#x27;échange des élues" in client.get("/evenements/").content.decode()
    home = client.get("/").content.decode()
    assert "Événements à venir" in home and "Journée d&#x27;échange des élues" in home
    assert "Réunion interne" not in home


def test_campaign_page_links_only_visible_documents_and_has_its_map(client, library):
    page = client.get(f"/bibliotheque/campagnes/{library['campaign'].id}/").content.decode()
    assert "Rapport du panel des élues" in page and "Note interne" not in page
    assert 'id="campaign-map"' in page and "campaign-map.js" in page and no_inline_script(page)


def test_calendar_feed_has_public_events_only(client, library):
    response = client.get("/flux/evenements.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(component["summary"]) for component in calendar.walk("VEVENT")]
    assert summaries == ["Journée d'échange des élues (exemple fictif)"]
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == library["event"].starts_at.replace(microsecond=0)
    assert str(event["location"]) == "Maison de la femme"


def test_atom_feeds_have_public_news_and_documents_only(client, library):
    news = client.get("/flux/actualites.xml").content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in news and "Le panel a eu lieu" in news
    documents = client.get("/flux/documents.xml").content.decode()
    assert "Témoignage audio (exemple fictif)" in documents and "Note interne" not in documents


def test_the_upload_form_publishes_an_audio_with_its_transcript(client, editor, org, media_root):
    client.force_login(editor)
    assert client.get("/bibliotheque/documents/nouveau/").status_code == 200
    response = client.post("/bibliotheque/documents/nouveau/", {
        "organisation": org.id, "title": "Témoignage de Kadiatou (exemple fictif)", "kind": "temoignage-audio",
        "language": "bm", "licence": "cc-by-4.0", "visibility": "public",
        "file": samples.upload("voix.wav", samples.wav_bytes(1.0)), "transcript": "Je suis conseillère."})
    document = Document.objects.get(title="Témoignage de Kadiatou (exemple fictif)")
    assert response.status_code == 302 and response["Location"] == f"/bibliotheque/documents/{document.id}/"
    assert document.files.get().transcript == "Je suis conseillère."


def test_the_upload_form_shows_a_refusal_and_stores_nothing(client, editor, org, media_root):
    client.force_login(editor)
    response = client.post("/bibliotheque/documents/nouveau/", {
        "organisation": org.id, "title": "Programme", "kind": "rapport", "language": "fr",
        "licence": "cc-by-4.0", "visibility": "public", "file": samples.upload("x.pdf", samples.executable_bytes())})
    assert response.status_code == 400 and "Type de fichier refusé" in response.content.decode()
    assert not Document.objects.exists() and not list(media_root.rglob("*.pdf"))


def test_the_upload_form_offers_only_ones_own_organisations(client, editor, org):
    other = factories.organisation("Une autre association")
    client.force_login(editor)
    page = client.get("/bibliotheque/documents/nouveau/").content.decode()
    assert org.name in page and other.name not in page
    assert client.get("/bibliotheque/documents/nouveau/").status_code == 200
    anonymous = factories.api_client()
    assert anonymous.get("/bibliotheque/documents/nouveau/").status_code == 302


def test_pages_answer_in_english_too(client, library):
    page = client.get("/en/bibliotheque/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page


def test_the_library_speaks_english_when_asked(client, library):
    client.cookies["django_language"] = "en"
    page = client.get(f"/en/bibliotheque/documents/{library['audio'].id}/").content.decode()
    assert "Duration" in page and "Keep offline" in page and "Download the original recording" in page
    assert "Advocacy campaigns" in client.get("/en/bibliotheque/").content.decode()


def test_an_editor_announces_an_event_with_its_recommendations_on_the_site(client, editor, org, library):
    client.force_login(editor)
    assert client.get("/evenements/nouveau/").status_code == 200
    response = client.post("/evenements/nouveau/", {
        "organisation": org.id, "title": "Formation des candidates (exemple fictif)", "kind": "formation",
        "starts_at": "2031-05-04T09:00", "ends_at": "2031-05-04T17:00", "visibility": "public",
        "report": library["report"].id, "recommendations": "Former 30 candidates\n\nCréer un fonds de campagne\n"})
    from geo_backend.library.models import Event

    event = Event.objects.get(title="Formation des candidates (exemple fictif)")
    assert response.status_code == 302 and response["Location"] == f"/evenements/{event.id}/"
    assert list(event.recommendations.values_list("text", flat=True)) == ["Former 30 candidates",
                                                                         "Créer un fonds de campagne"]


def test_an_event_form_refuses_an_end_before_the_start(client, editor, org):
    client.force_login(editor)
    response = client.post("/evenements/nouveau/", {
        "organisation": org.id, "title": "À l'envers", "kind": "atelier", "starts_at": "2031-05-04T09:00",
        "ends_at": "2031-05-03T09:00", "visibility": "public"})
    assert response.status_code == 400 and "La fin précède le début." in response.content.decode()


def test_an_editor_launches_a_campaign_on_the_site(client, editor, org, library):
    client.force_login(editor)
    response = client.post("/bibliotheque/campagnes/nouvelle/", {
        "organisation": org.id, "title": "Parité dans les bureaux (exemple fictif)", "message": "Une femme sur trois.",
        "visibility": "public", "documents": [library["report"].id]})
    from geo_backend.library.models import Campaign

    campaign = Campaign.objects.get(title="Parité dans les bureaux (exemple fictif)")
    assert response.status_code == 302 and list(campaign.documents.all()) == [library["report"]]


def test_the_organisation_follows_a_recommendation_up_from_the_event_page(client, editor, library):
    recommendation = library["event"].recommendations.order_by("position").first()
    client.force_login(editor)
    page = client.get(f"/evenements/{library['event'].id}/").content.decode()
    assert f"/evenements/recommandations/{recommendation.id}/suivi/" in page
    response = client.post(f"/evenements/recommandations/{recommendation.id}/suivi/", {
        "status": "done", "follow_up": "Mentorat lancé (fictif).", "version": recommendation.version})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.follow_up) == ("done", "Mentorat lancé (fictif).")
    stale = client.post(f"/evenements/recommandations/{recommendation.id}/suivi/", {
        "status": "open", "follow_up": "", "version": recommendation.version - 1}, follow=True)
    assert "Quelqu&#x27;un d&#x27;autre a enregistré" in stale.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == "done"


def test_others_cannot_follow_up_a_recommendation(client, library):
    recommendation = library["event"].recommendations.first()
    client.force_login(factories.user())
    assert "/suivi/" not in client.get(f"/evenements/{library['event'].id}/").content.decode()
    response = client.post(f"/evenements/recommandations/{recommendation.id}/suivi/", {
        "status": "done", "follow_up": "x", "version": recommendation.version})
    assert response.status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.status == "open"


@pytest.mark.realdata
def test_upcoming_public_events_are_points_for_the_map(mali, client, editor, org):
    from geo_backend.regions.models import AdminUnit

    owner = audience_for(editor)
    soon = timezone.now() + timedelta(days=3)
    segou = AdminUnit.objects.get(edition=mali, pcode="ML04")
    advocacy.event_create(audience=owner, organisation=org, fields={
        "title": "Atelier à Ségou", "starts_at": soon, "place": segou}, relations={})
    advocacy.event_create(audience=owner, organisation=org, fields={
        "title": "Interne", "starts_at": soon, "place": segou, "visibility": "private"}, relations={})
    advocacy.event_create(audience=owner, organisation=org, fields={
        "title": "Passé", "starts_at": timezone.now() - timedelta(days=3), "place": segou}, relations={})
    advocacy.event_create(audience=owner, organisation=org, fields={"title": "Sans lieu", "starts_at": soon},
                          relations={})
    collection = client.get("/api/v1/events/map/").json()
    [feature] = collection["features"]
    assert feature["properties"]["title"] == "Atelier à Ségou" and feature["geometry"]["type"] == "Point"
    from django.contrib.gis.geos import Point

    assert segou.geom.contains(Point(*feature["geometry"]["coordinates"], srid=4326))
    assert "events-map.js" in client.get("/").content.decode()


@pytest.mark.realdata
def test_an_event_is_placed_by_p_code_through_the_api(mali, editor, org):
    api = factories.api_client(editor)
    created = api.post("/api/v1/events/", {"organisation": org.id, "title": "Atelier", "starts_at":
                                           "2031-01-01T09:00:00Z", "place": "ml04"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["place"]["pcode"] == "ML04"
    for wrong in ("ZZ99", 42, ""):
        refused = api.post("/api/v1/events/", {"organisation": org.id, "title": "Atelier", "starts_at":
                                               "2031-01-01T09:00:00Z", "place": wrong}, format="json")
        assert refused.status_code == 400 and refused.json()["code"] == "invalid", wrong
