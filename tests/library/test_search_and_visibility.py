"""French full-text search (stemming, accents) over titles, summaries, transcripts and PDF text, its filters,
and visibility: members-only and private documents never reach visitors through the API, pages or search."""
import pytest

from geo_backend.library.services.documents import Upload, document_create
from geo_backend.organisations.access import audience_for
from geo_backend.taxonomy.models import Theme
from tests import factories

from . import samples
from .jobs import run_jobs

pytestmark = pytest.mark.django_db


def publish(org, editor, title, *, summary="", visibility="public", kind="rapport", uploads=(), themes=(),
            places=(), language="fr"):
    return document_create(
        audience=audience_for(editor), organisation=org,
        fields={"title": title, "summary": summary, "kind": kind, "visibility": visibility, "language": language,
                **({} if uploads else {"external_url": "https://example.org/doc"})},
        relations={"themes": list(themes), "places": list(places)}, uploads=list(uploads))


def found(client, **params) -> list[str]:
    response = client.get("/api/v1/documents/", params)
    assert response.status_code == 200, response.content
    return [d["title"] for d in response.json()["results"]]


def test_violence_finds_violences_and_segou_finds_segou_with_its_accent(editor, org):
    publish(org, editor, "Lutte contre les violences faites aux femmes")
    publish(org, editor, "Atelier des élues de Ségou")
    publish(org, editor, "Coopératives de karité")
    visitor = factories.api_client()
    assert found(visitor, q="violence") == ["Lutte contre les violences faites aux femmes"]
    assert found(visitor, q="segou") == ["Atelier des élues de Ségou"]
    assert found(visitor, q="SÉGOU") == ["Atelier des élues de Ségou"]
    assert found(visitor, q="elue") == ["Atelier des élues de Ségou"]
    assert found(visitor, q="inexistant") == []


def test_a_word_of_a_transcript_finds_the_audio_testimony(editor, org):
    publish(org, editor, "Témoignage d'une conseillère (exemple fictif)", kind="temoignage-audio", uploads=[
        Upload(samples.upload("t.wav", samples.wav_bytes(1.0)),
               transcript="Grâce au quota, trois femmes siègent au conseil communal de Dioïla.")])
    publish(org, editor, "Autre document")
    assert found(factories.api_client(), q="dioila siègent") == ["Témoignage d'une conseillère (exemple fictif)"]


def test_the_text_of_a_pdf_is_searchable_once_the_worker_has_read_it(editor, org):
    publish(org, editor, "Compte rendu", uploads=[
        Upload(samples.upload("cr.pdf", samples.pdf_bytes("Les participantes recommandent un fonds de garantie.")))])
    visitor = factories.api_client()
    assert found(visitor, q="garantie") == []
    run_jobs()
    assert found(visitor, q="garanties") == ["Compte rendu"]


def test_title_matches_rank_before_summary_matches(editor, org):
    publish(org, editor, "Guide pratique", summary="Il parle aussi du quota.")
    publish(org, editor, "Le quota de 30 % expliqué")
    assert found(factories.api_client(), q="quota") == ["Le quota de 30 % expliqué", "Guide pratique"]


def test_filters_by_kind_language_theme_and_organisation(editor, org):
    other = factories.organisation()
    vbg = Theme.objects.get(code="vbg")
    publish(org, editor, "Note VBG", kind="note-de-plaidoyer", themes=[vbg])
    publish(org, editor, "Guide en bambara", kind="guide", language="bm")
    publish(other, factories.user(superuser=True), "Rapport d'une autre")
    visitor = factories.api_client()
    assert found(visitor, kind="note-de-plaidoyer") == ["Note VBG"]
    assert found(visitor, language="bm") == ["Guide en bambara"]
    sub_theme = Theme.objects.filter(parent=vbg).first()
    assert found(visitor, theme="vbg") == ["Note VBG"]
    assert sub_theme is None or found(visitor, theme=sub_theme.code) == []
    assert sorted(found(visitor, organisation=org.id)) == ["Guide en bambara", "Note VBG"]


@pytest.mark.realdata
def test_a_place_filter_includes_the_units_inside_it(mali, editor, org):
    from geo_backend.regions.models import AdminUnit

    commune = AdminUnit.objects.get(edition=mali, pcode="ML040224")  # a commune of Ségou region
    publish(org, editor, "Dans une commune de Ségou", places=[commune])
    publish(org, editor, "À Kayes", places=[AdminUnit.objects.get(edition=mali, pcode="ML01")])
    visitor = factories.api_client()
    assert found(visitor, place="ML04") == ["Dans une commune de Ségou"]
    assert found(visitor, place=commune.parent.pcode) == ["Dans une commune de Ségou"]
    assert found(visitor, place="ML01") == ["À Kayes"]


@pytest.fixture
def three_documents(editor, org):
    audio = Upload(samples.upload("t.wav", samples.wav_bytes(1.0)), transcript="confidentiel")
    return {
        "public": publish(org, editor, "Public plaidoyer"),
        "members": publish(org, editor, "Réservé plaidoyer", visibility="members", kind="temoignage-audio",
                           uploads=[audio]),
        "private": publish(org, editor, "Interne plaidoyer", visibility="private"),
    }


def test_members_only_and_private_documents_are_invisible_to_visitors(client, three_documents):
    visitor = factories.api_client()
    assert found(visitor, q="plaidoyer") == ["Public plaidoyer"]
    assert found(visitor, q="confidentiel") == []
    for level in ("members", "private"):
        document = three_documents[level]
        assert visitor.get(f"/api/v1/documents/{document.id}/").status_code == 404
        assert client.get(f"/bibliotheque/documents/{document.id}/").status_code == 404
    audio = three_documents["members"].files.get()
    assert visitor.get(f"/api/v1/document-files/{audio.id}/").status_code == 404
    assert client.get(f"/fichiers/{audio.id}/original/").status_code == 404
    page = client.get("/bibliotheque/", {"q": "plaidoyer"}).content.decode()
    assert "Public plaidoyer" in page and "Réservé plaidoyer" not in page and "Interne plaidoyer" not in page
    assert "Réservé" not in client.get("/flux/documents.xml").content.decode()


def test_signed_in_people_see_members_documents_and_only_the_organisation_its_private_ones(client, three_documents,
                                                                                            editor):
    someone = factories.user()
    assert sorted(found(factories.api_client(someone), q="plaidoyer")) == ["Public plaidoyer", "Réservé plaidoyer"]
    assert sorted(found(factories.api_client(editor), q="plaidoyer")) == [
        "Interne plaidoyer", "Public plaidoyer", "Réservé plaidoyer"]
    client.force_login(someone)
    audio = three_documents["members"].files.get()
    assert client.get(f"/fichiers/{audio.id}/original/").status_code == 200
    assert client.get(f"/bibliotheque/documents/{three_documents['private'].id}/").status_code == 404


def test_documents_of_a_pending_organisation_are_not_public(editor):
    pending = factories.organisation(status="pending", editor=editor)
    publish(pending, editor, "Pas encore publié")
    assert found(factories.api_client(), q="publié") == []
    assert found(factories.api_client(editor), q="publié") == ["Pas encore publié"]


def test_the_count_and_paging_of_a_search(editor, org):
    for n in range(3):
        publish(org, editor, f"Rapport sur le quota n°{n}")
    visitor = factories.api_client()
    first = visitor.get("/api/v1/documents/", {"q": "quota", "limit": 1}).json()
    assert first["count"] == 3 and len(first["results"]) == 1 and first["next"] and first["previous"] is None
    beyond = visitor.get("/api/v1/documents/", {"q": "quota", "limit": 2, "offset": 4}).json()
    assert beyond["count"] == 3 and beyond["results"] == []
