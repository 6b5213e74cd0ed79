"""Changing a published document, event or campaign on the site: the same services and limits as the API,
one transaction per operation, a refused change or upload leaves no row, no stored file and no job."""
import pytest

from geo_backend.library.models import Document
from geo_backend.library.services import advocacy
from geo_backend.library.services.documents import Upload, document_create
from geo_backend.organisations.access import audience_for
from tests import factories

from . import samples
from .conftest import stored_files
from .jobs import jobs
from .test_permissions import WHEN, library_snapshot

pytestmark = pytest.mark.django_db

FIELDS = {"title": "Rapport du panel (exemple fictif)", "kind": "rapport", "language": "fr",
          "licence": "cc-by-4.0", "visibility": "public"}


@pytest.fixture
def document(editor, org):
    return document_create(audience=audience_for(editor), organisation=org, fields={
        "title": "Rapport du panel (exemple fictif)", "kind": "rapport"}, relations={},
        uploads=[Upload(samples.upload("rapport.pdf", samples.pdf_bytes("Le panel")))])


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def edit_url(document) -> str:
    return f"/bibliotheque/documents/{document.id}/modifier/"


def test_the_document_page_offers_its_editors_the_edit_page(client, signed_in, document):
    assert edit_url(document) in signed_in.get(f"/bibliotheque/documents/{document.id}/").content.decode()
    page = signed_in.get(edit_url(document)).content.decode()
    assert 'value="Rapport du panel (exemple fictif)"' in page and f'value="{document.version}"' in page
    client.logout()
    client.force_login(factories.user())
    assert edit_url(document) not in client.get(f"/bibliotheque/documents/{document.id}/").content.decode()


def test_an_editor_changes_the_description_and_the_search_follows(signed_in, document):
    response = signed_in.post(edit_url(document), {**FIELDS, "title": "Compte rendu des violences à Ségou",
                                                   "summary": "Résumé", "version": document.version})
    assert response.status_code == 302 and response["Location"] == f"/bibliotheque/documents/{document.id}/"
    document.refresh_from_db()
    assert (document.title, document.summary, document.version) == ("Compte rendu des violences à Ségou", "Résumé", 2)
    found = signed_in.get("/api/v1/documents/", {"q": "segou violence"}).json()
    assert [d["id"] for d in found["results"]] == [document.id]


def test_an_emptied_field_is_cleared(signed_in, document):
    Document.objects.filter(pk=document.pk).update(summary="Ancien résumé", external_url="https://example.org/a")
    response = signed_in.post(edit_url(document), {**FIELDS, "summary": "", "external_url": "",
                                                   "version": document.version})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.summary, document.external_url) == ("", "")


@pytest.mark.parametrize(("change", "message"), [
    ({"published_on": "31/02/2024"}, "Saisissez une date valide"),
    ({"published_on": "99999-01-01"}, "Saisissez une date valide"),
    ({"kind": "virus"}, "Sélectionnez un choix valide"),
    ({"title": ""}, "Ce champ est obligatoire"),
    ({"title": "x" * 251}, "au plus 250"),
    ({"summary": "x" * 20001}, "au plus 20000"),
    ({"external_url": "javascript:alert(1)"}, "Saisissez une URL valide"),
    ({"places": ["999999"]}, "Sélectionnez un choix valide"),
    ({"version": "abc"}, "Formulaire incomplet ou périmé : rechargez la page."),
    ({"version": ""}, "Formulaire incomplet ou périmé : rechargez la page."),
])
def test_bad_input_is_refused_with_its_reason_and_changes_nothing(signed_in, document, change, message):
    before = library_snapshot()
    response = signed_in.post(edit_url(document), {**FIELDS, "version": document.version, **change})
    assert response.status_code == 400
    assert message in response.content.decode().replace("\u202f", " ").replace("&#x27;", "'")
    assert library_snapshot() == before


def test_a_stale_version_is_refused_and_the_newer_change_kept(signed_in, document):
    seen = document.version
    assert signed_in.post(edit_url(document), {**FIELDS, "title": "Un", "version": seen}).status_code == 302
    response = signed_in.post(edit_url(document), {**FIELDS, "title": "Deux", "version": seen})
    assert response.status_code == 412 and "Quelqu&#x27;un d&#x27;autre a enregistré" in response.content.decode()
    document.refresh_from_db()
    assert document.title == "Un"


def test_an_editor_adds_changes_and_removes_files(signed_in, document, media_root, django_capture_on_commit_callbacks):
    response = signed_in.post(f"/bibliotheque/documents/{document.id}/fichiers/", {
        "file": samples.upload("voix.wav", samples.wav_bytes(1.0)), "label": "Témoignage",
        "transcript": "Le forage du marché."})
    assert response.status_code == 302 and response["Location"] == edit_url(document)
    audio = document.files.get(kind="audio")
    assert (audio.label, audio.transcript) == ("Témoignage", "Le forage du marché.")
    assert len(jobs("todo")) == 2  # the PDF's and the new audio's
    response = signed_in.post(f"/bibliotheque/fichiers/{audio.id}/modifier/", {
        "label": "Témoignage de Kadiatou", "transcript": "Le puits du marché.", "version": audio.version})
    assert response.status_code == 302
    audio.refresh_from_db()
    assert (audio.label, audio.transcript) == ("Témoignage de Kadiatou", "Le puits du marché.")
    assert signed_in.get("/api/v1/documents/", {"q": "puits"}).json()["count"] == 1
    stored = media_root / audio.original.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"/bibliotheque/fichiers/{audio.id}/supprimer/", {"version": audio.version})
    assert response.status_code == 302 and not document.files.filter(pk=audio.pk).exists()
    assert not stored.exists()


@pytest.mark.parametrize(("name", "content", "status", "message"), [
    ("rapport.pdf", samples.executable_bytes(), 415, "Type de fichier refusé"),
    ("photo.png", samples.png_bomb(), 400, "Image trop grande"),
    ("archive.pdf", samples.zip_bomb(), 415, "Type de fichier refusé"),
    ("../../etc/passwd.pdf", b"%PDF-1.4 not really", 400, "Ce PDF est illisible"),
    ("vide.pdf", b"", 400, "Le fichier soumis est vide"),  # Django's form refuses an empty file before the service
])
def test_a_refused_upload_leaves_no_file_no_row_no_job(signed_in, document, media_root, name, content, status,
                                                       message):
    before, files_before, jobs_before = library_snapshot(), stored_files(media_root), len(jobs())
    response = signed_in.post(f"/bibliotheque/documents/{document.id}/fichiers/", {
        "file": samples.upload(name, content), "transcript": ""})
    assert response.status_code == status
    assert message in response.content.decode().replace("&#x27;", "'")
    assert library_snapshot() == before and stored_files(media_root) == files_before and len(jobs()) == jobs_before


def test_an_oversize_upload_is_refused_with_413(signed_in, document, media_root, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = {"pdf": 1000, "image": 1000, "audio": 1000}
    before = library_snapshot()
    response = signed_in.post(f"/bibliotheque/documents/{document.id}/fichiers/", {
        "file": samples.upload("gros.pdf", samples.pdf_bytes("x" * 3000))})
    assert response.status_code == 413 and "Fichier trop volumineux" in response.content.decode()
    assert library_snapshot() == before


def test_a_transcript_on_a_pdf_is_refused(signed_in, document):
    before = library_snapshot()
    response = signed_in.post(f"/bibliotheque/documents/{document.id}/fichiers/", {
        "file": samples.upload("annexe.pdf", samples.pdf_bytes("annexe")), "transcript": "Non."})
    assert response.status_code == 400 and "Une transcription accompagne" in response.content.decode()
    assert library_snapshot() == before


def test_a_failure_after_the_file_was_stored_removes_file_and_row(signed_in, document, media_root, monkeypatch):
    """The file is stored before its row; when the operation fails after that, the rollback takes both."""
    from geo_backend.library.services import documents

    def broken_refresh(document_id):
        raise RuntimeError("database went away")

    files_before, before = stored_files(media_root), library_snapshot()
    monkeypatch.setattr(documents, "document_search_refresh", broken_refresh)
    with pytest.raises(RuntimeError):
        signed_in.post(f"/bibliotheque/documents/{document.id}/fichiers/", {
            "file": samples.upload("annexe.pdf", samples.pdf_bytes("annexe"))})
    assert stored_files(media_root) == files_before and library_snapshot() == before


def test_an_editor_deletes_a_document(signed_in, document):
    response = signed_in.post(f"/bibliotheque/documents/{document.id}/supprimer/", {"version": document.version})
    assert response.status_code == 302 and response["Location"] == "/bibliotheque/"
    assert not Document.objects.filter(pk=document.pk).exists()


def test_an_editor_changes_an_event_on_the_site(signed_in, editor, org, document):
    event = advocacy.event_create(audience=audience_for(editor), organisation=org,
                                  fields={"title": "Atelier (exemple fictif)", "starts_at": WHEN}, relations={},
                                  recommendations=["Former les élues"])
    page = signed_in.get(f"/evenements/{event.id}/").content.decode()
    assert f"/evenements/{event.id}/modifier/" in page
    form = signed_in.get(f"/evenements/{event.id}/modifier/").content.decode()
    assert 'value="2031-03-08T09:00"' in form
    response = signed_in.post(f"/evenements/{event.id}/modifier/", {
        "title": "Atelier des élues (exemple fictif)", "kind": "atelier", "starts_at": "2031-03-08T09:00",
        "ends_at": "2031-03-08T17:00", "visibility": "public", "participants_women": 30, "report": document.id,
        "version": event.version})
    assert response.status_code == 302 and response["Location"] == f"/evenements/{event.id}/"
    event.refresh_from_db()
    assert (event.title, event.participants_women, event.report_id) == (
        "Atelier des élues (exemple fictif)", 30, document.id)
    assert event.recommendations.count() == 1
    bad = signed_in.post(f"/evenements/{event.id}/modifier/", {
        "title": "x", "kind": "atelier", "starts_at": "2031-03-08T09:00", "ends_at": "2031-03-07T09:00",
        "visibility": "public", "participants_women": -3, "version": event.version})
    assert bad.status_code == 400 and "La fin précède le début." in bad.content.decode()


def test_an_editor_changes_a_campaign_on_the_site(signed_in, editor, org, document):
    campaign = advocacy.campaign_create(audience=audience_for(editor), organisation=org,
                                        fields={"title": "Quota (exemple fictif)", "message": "30 %",
                                                "start_date": WHEN.date()}, relations={"documents": [document]})
    form = signed_in.get(f"/bibliotheque/campagnes/{campaign.id}/modifier/").content.decode()
    assert 'value="2031-03-08"' in form
    response = signed_in.post(f"/bibliotheque/campagnes/{campaign.id}/modifier/", {
        "title": "Quota de 30 % (exemple fictif)", "message": "Appliquer la loi", "visibility": "public",
        "start_date": "2031-03-08", "version": campaign.version})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.message, list(campaign.documents.all())) == (
        "Quota de 30 % (exemple fictif)", "Appliquer la loi", [])


def test_a_campaign_cannot_link_another_organisations_private_document(signed_in, editor, org):
    other_editor = factories.user()
    other = factories.organisation("Autre association", editor=other_editor)
    private = document_create(audience=audience_for(other_editor), organisation=other, fields={
        "title": "Note privée", "kind": "rapport", "visibility": "private", "external_url": "https://example.org/p"},
        relations={})
    campaign = advocacy.campaign_create(audience=audience_for(editor), organisation=org,
                                        fields={"title": "Quota", "message": "30 %"}, relations={})
    response = signed_in.post(f"/bibliotheque/campagnes/{campaign.id}/modifier/", {
        "title": "Quota", "message": "30 %", "visibility": "public", "documents": [private.id],
        "version": campaign.version})
    assert response.status_code == 400
    assert not campaign.documents.exists()
