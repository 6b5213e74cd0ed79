"""Who may write what through the library's site forms: every page that writes × every role, on the records of
organisation A (the roles and records of test_permissions.py, the API's matrix). A refused form writes nothing:
no row, no stored file, no queued job.

Statuses: 302 to the sign-in page for a visitor; 302 to the record's page when the write is done; 403 for a
record one sees but may not change; 400 for a "new" form naming an organisation one does not edit (it is not
among the form's choices); 404 for the follow-up of a recommendation by someone who cannot edit the event (the
form is not even shown to them).
"""
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

import pytest

from geo_backend.library import page_urls
from geo_backend.library.models import Campaign, Document, Event

from . import samples
from .conftest import stored_files
from .test_permissions import ROLES, World, library_snapshot, make_world, reloaded

pytestmark = pytest.mark.django_db

DOCUMENT_FIELDS = {"title": "Rapport A", "kind": "rapport", "language": "fr", "licence": "cc-by-4.0",
                   "visibility": "public"}


@pytest.fixture
def world() -> World:
    return make_world()


@dataclass
class Form:
    url: Callable[[World], str]
    body: Callable[[World], dict]
    changed: Callable[[World], bool]


SITE_WRITES = {
    "document-new": Form(
        lambda w: "/bibliotheque/documents/nouveau/",
        lambda w: {**DOCUMENT_FIELDS, "organisation": w.org.id, "title": "Nouveau",
                   "file": samples.upload("n.pdf", samples.pdf_bytes("n"))},
        lambda w: Document.objects.filter(title="Nouveau").exists()),
    "document-edit": Form(
        lambda w: f"/bibliotheque/documents/{w.document.id}/modifier/",
        lambda w: {**DOCUMENT_FIELDS, "title": "Modifié", "version": w.document.version},
        lambda w: reloaded(w.document).title == "Modifié"),
    "document-delete": Form(
        lambda w: f"/bibliotheque/documents/{w.document.id}/supprimer/",
        lambda w: {"version": w.document.version}, lambda w: reloaded(w.document) is None),
    "document-file-add": Form(
        lambda w: f"/bibliotheque/documents/{w.document.id}/fichiers/",
        lambda w: {"file": samples.upload("annexe.pdf", samples.pdf_bytes("annexe")), "label": "Annexe"},
        lambda w: w.document.files.count() == 2),
    "document-file-edit": Form(
        lambda w: f"/bibliotheque/fichiers/{w.document_file.id}/modifier/",
        lambda w: {"label": "Annexe", "version": w.document_file.version},
        lambda w: reloaded(w.document_file).label == "Annexe"),
    "document-file-delete": Form(
        lambda w: f"/bibliotheque/fichiers/{w.document_file.id}/supprimer/",
        lambda w: {"version": w.document_file.version}, lambda w: reloaded(w.document_file) is None),
    "campaign-new": Form(
        lambda w: "/bibliotheque/campagnes/nouvelle/",
        lambda w: {"organisation": w.org.id, "title": "Nouvelle campagne", "message": "M", "visibility": "public"},
        lambda w: Campaign.objects.filter(title="Nouvelle campagne").exists()),
    "campaign-edit": Form(
        lambda w: f"/bibliotheque/campagnes/{w.campaign.id}/modifier/",
        lambda w: {"title": "Campagne A", "message": "Autre", "visibility": "public", "version": w.campaign.version},
        lambda w: reloaded(w.campaign).message == "Autre"),
    "event-new": Form(
        lambda w: "/evenements/nouveau/",
        lambda w: {"organisation": w.org.id, "title": "Nouvel atelier", "kind": "atelier",
                   "starts_at": "2031-03-08T09:00", "visibility": "public"},
        lambda w: Event.objects.filter(title="Nouvel atelier").exists()),
    "event-edit": Form(
        lambda w: f"/evenements/{w.event.id}/modifier/",
        lambda w: {"title": "Atelier A", "kind": "atelier", "starts_at": "2031-03-08T09:00", "visibility": "public",
                   "participants_women": 42, "version": w.event.version},
        lambda w: reloaded(w.event).participants_women == 42),
    "recommendation-follow-up": Form(
        lambda w: f"/evenements/recommandations/{w.recommendation.id}/suivi/",
        lambda w: {"status": "under_way", "follow_up": "", "version": w.recommendation.version},
        lambda w: reloaded(w.recommendation).status == "under_way"),
}

# The pages that only read (GET): every other page of the library is in SITE_WRITES.
READ_PAGES = {"index", "document", "campaigns", "campaign", "events", "event", "events-ics", "news-feed",
              "documents-feed"}

MATRIX = [
    # form                        visitor editor other_ed coord other_co donor admin
    ("document-new",               302,   302,   400,     400,  400,     400,  302),
    ("document-edit",              302,   302,   403,     403,  403,     403,  302),
    ("document-delete",            302,   302,   403,     403,  403,     403,  302),
    ("document-file-add",          302,   302,   403,     403,  403,     403,  302),
    ("document-file-edit",         302,   302,   403,     403,  403,     403,  302),
    ("document-file-delete",       302,   302,   403,     403,  403,     403,  302),
    ("campaign-new",               302,   302,   400,     400,  400,     400,  302),
    ("campaign-edit",              302,   302,   403,     403,  403,     403,  302),
    ("event-new",                  302,   302,   400,     400,  400,     400,  302),
    ("event-edit",                 302,   302,   403,     403,  403,     403,  302),
    ("recommendation-follow-up",   302,   302,   404,     404,  404,     404,  302),
]


def test_the_matrix_covers_every_page_that_writes():
    names = {pattern.name for pattern in page_urls.urlpatterns}
    assert [row[0] for row in MATRIX] == list(SITE_WRITES)
    assert names - READ_PAGES == set(SITE_WRITES)


def cases() -> list:
    return [pytest.param(name, role, status, id=f"{name} as {role} -> {status}")
            for name, *statuses in MATRIX for role, status in zip(ROLES, statuses, strict=True)]


@pytest.mark.parametrize(("name", "role", "expected"), cases())
def test_site_write_permission(client, world, media_root, name, role, expected):
    form = SITE_WRITES[name]
    url, body = form.url(world), form.body(world)
    before, files_before = library_snapshot(), stored_files(media_root)
    if world.people[role] is not None:
        client.force_login(world.people[role])
    response = client.post(url, body)
    assert response.status_code == expected, response.content[:400]
    if role == "visitor":
        assert f"next={url}" in unquote(response["Location"]), "a visitor is sent to sign in first"
    if role in ("editor", "admin"):
        assert form.changed(world), response.content[:400]
        return
    assert library_snapshot() == before, "a refused form changed the library"
    assert stored_files(media_root) == files_before, "a refused form stored a file"
    assert not form.changed(world)

