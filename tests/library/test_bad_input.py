"""Bad input found by probing the library's pages and API by hand: each answered 500 or was accepted silently.
Now a 4xx with the reason, and nothing written."""
import pytest
from django.test import Client

from geo_backend.library.models import Document, Event
from geo_backend.library.services import advocacy
from geo_backend.library.services.documents import Upload, document_create
from geo_backend.organisations.access import audience_for
from tests import factories

from . import samples
from .test_permissions import WHEN, library_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(editor, org):
    return document_create(audience=audience_for(editor), organisation=org,
                           fields={"title": "Rapport sur les violences", "kind": "rapport"}, relations={},
                           uploads=[Upload(samples.upload("a.pdf", samples.pdf_bytes("A")))])


@pytest.mark.parametrize("query", ["q=%00", "theme=%00", "place=%00", "organisation=99999999999999999999",
                                   "organisation=abc", "kind=virus", "language=xx", "place=" + "x" * 21,
                                   "q=" + "a" * 201])
def test_a_crafted_library_address_is_a_bad_request_with_an_empty_list(report, query):
    response = Client(raise_request_exception=False).get(f"/bibliotheque/?{query}")
    page = response.content.decode()
    assert response.status_code == 400 and "Recherche invalide" in page
    assert "Rapport sur les violences" not in page


def test_the_library_page_still_searches_and_pages_beyond_the_end(report):
    client = Client()
    assert "Rapport sur les violences" in client.get("/bibliotheque/", {"q": "violence"}).content.decode()
    assert client.get("/bibliotheque/", {"q": "violence", "page": "999999999999"}).status_code == 200
    assert client.get("/bibliotheque/", {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("body", [[1, 2], "texte", 3])
def test_a_body_that_is_not_an_object_is_refused(editor, body):
    response = factories.api_client(editor).post("/api/v1/documents/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_absurd_head_counts_are_refused_by_the_api(editor, org):
    client = factories.api_client(editor)
    before = library_snapshot()
    response = client.post("/api/v1/events/", {"organisation": org.id, "title": "Atelier",
                                                "starts_at": WHEN.isoformat(), "participants_women": 10**12},
                           format="json")
    assert response.status_code == 400 and "participants_women" in response.json()["details"]
    assert library_snapshot() == before
    event = advocacy.event_create(audience=audience_for(editor), organisation=org,
                                  fields={"title": "Atelier", "starts_at": WHEN}, relations={})
    response = client.patch(f"/api/v1/events/{event.id}/", {"participants_men": 10**12}, format="json",
                            HTTP_IF_MATCH=factories.if_match(event))
    assert response.status_code == 400 and "participants_men" in response.json()["details"]


def test_absurd_head_counts_are_refused_by_the_site_form(client, editor, org):
    client.force_login(editor)
    response = client.post("/evenements/nouveau/", {
        "organisation": org.id, "title": "Atelier", "kind": "atelier", "starts_at": "2031-01-01T09:00",
        "participants_women": 10**12, "visibility": "public"})
    assert response.status_code == 400 and "1000000" in response.content.decode().replace("\u202f", "")
    assert not Event.objects.exists()


def test_the_site_form_refuses_a_transcript_without_a_recording_as_the_api_does(client, editor, org):
    client.force_login(editor)
    response = client.post("/bibliotheque/documents/nouveau/", {
        "organisation": org.id, "title": "Lien", "kind": "video", "language": "fr", "licence": "cc-by-4.0",
        "visibility": "public", "external_url": "https://example.org/video", "transcript": "Texte perdu"})
    assert response.status_code == 400
    assert "Une transcription accompagne un enregistrement audio." in response.content.decode()
    assert not Document.objects.exists()
