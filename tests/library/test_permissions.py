"""Who may write what in the library's API: every write endpoint × every role, on the records of organisation A.

The same roles as tests/zones/test_api_permissions.py: A's editor ("editor"), B's editor ("other_editor"), the
coordinators of A's and B's networks, a donor, an administrator and a visitor. Library records belong to one
organisation: only its editors (and administrators) change them; a network's coordinator does not edit its
members' documents. A refused request must write nothing: no row, no stored file, no queued job.

tests/zones/test_api_permissions.py checks that every write endpoint of the API is in its matrix or in
LIBRARY_WRITES below; this module checks that LIBRARY_WRITES is exactly this matrix's endpoints.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

import pytest
from django.db import connection
from django.utils import timezone

from geo_backend.library.models import Campaign, Document, DocumentFile, Event, NewsItem, Recommendation
from geo_backend.library.services import advocacy
from geo_backend.library.services.documents import Upload, document_create
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import Organisation
from tests import factories

from . import samples
from .conftest import stored_files
from .permission_matrix import LIBRARY_WRITES

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "editor", "other_editor", "coordinator", "other_coordinator", "donor", "admin")
WHEN = datetime(2031, 3, 8, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


@dataclass
class World:
    people: dict
    org: Organisation
    other_org: Organisation

    @property
    def owner(self):
        return audience_for(self.people["editor"])

    @cached_property
    def document(self) -> Document:
        return document_create(audience=self.owner, organisation=self.org,
                               fields={"title": "Rapport A", "kind": "rapport"}, relations={},
                               uploads=[Upload(samples.upload("a.pdf", samples.pdf_bytes("A")))])

    @cached_property
    def document_file(self) -> DocumentFile:
        return self.document.files.get()

    @cached_property
    def campaign(self) -> Campaign:
        return advocacy.campaign_create(audience=self.owner, organisation=self.org,
                                        fields={"title": "Campagne A", "message": "Le quota"}, relations={})

    @cached_property
    def event(self) -> Event:
        return advocacy.event_create(audience=self.owner, organisation=self.org,
                                     fields={"title": "Atelier A", "starts_at": WHEN}, relations={},
                                     recommendations=["Former les élues"])

    @cached_property
    def recommendation(self) -> Recommendation:
        return self.event.recommendations.get()

    @cached_property
    def news(self) -> NewsItem:
        return advocacy.news_create(audience=self.owner, organisation=self.org,
                                    fields={"title": "Nouvelle A", "body": "Texte", "published_at": WHEN})


def make_world() -> World:
    """Organisation A with its editor and its network's coordinator, organisation B likewise, a donor, an admin."""
    people = {"visitor": None, "donor": factories.donor(), "admin": factories.user(superuser=True)}
    people.update({role: factories.user() for role in ("editor", "other_editor", "coordinator", "other_coordinator")})
    org = factories.organisation("Association A", editor=people["editor"])
    other_org = factories.organisation("Association B", editor=people["other_editor"])
    factories.network(coordinator=people["coordinator"], members=[org])
    factories.network(coordinator=people["other_coordinator"], members=[other_org])
    return World(people=people, org=org, other_org=other_org)


@pytest.fixture
def world() -> World:
    return make_world()


def reloaded(record):
    return type(record).objects.filter(pk=record.pk).first()


@dataclass
class Endpoint:
    method: str
    url: Callable[[World], str]
    body: Callable[[World], dict]
    changed: Callable[[World], bool]
    target: Callable[[World], object] | None = None
    multipart: bool = False


ENDPOINTS = {
    "POST /documents/": Endpoint(
        "post", lambda w: "/api/v1/documents/",
        lambda w: {"organisation": w.org.id, "title": "Nouveau", "kind": "rapport",
                   "file": samples.upload("n.pdf", samples.pdf_bytes("n"))},
        lambda w: Document.objects.filter(title="Nouveau").exists(), multipart=True),
    "PATCH /documents/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/documents/{w.document.id}/", lambda w: {"title": "Modifié"},
        lambda w: reloaded(w.document).title == "Modifié", target=lambda w: w.document),
    "DELETE /documents/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/documents/{w.document.id}/", lambda w: {},
        lambda w: reloaded(w.document) is None, target=lambda w: w.document),
    "POST /documents/{id}/files/": Endpoint(
        "post", lambda w: f"/api/v1/documents/{w.document.id}/files/",
        lambda w: {"file": samples.upload("annexe.pdf", samples.pdf_bytes("annexe"))},
        lambda w: w.document.files.count() == 2, multipart=True),
    "PATCH /document-files/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/document-files/{w.document_file.id}/", lambda w: {"label": "Annexe"},
        lambda w: reloaded(w.document_file).label == "Annexe", target=lambda w: w.document_file),
    "DELETE /document-files/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/document-files/{w.document_file.id}/", lambda w: {},
        lambda w: reloaded(w.document_file) is None, target=lambda w: w.document_file),
    "POST /campaigns/": Endpoint(
        "post", lambda w: "/api/v1/campaigns/",
        lambda w: {"organisation": w.org.id, "title": "Nouvelle campagne", "message": "Message"},
        lambda w: Campaign.objects.filter(title="Nouvelle campagne").exists()),
    "PATCH /campaigns/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/campaigns/{w.campaign.id}/", lambda w: {"message": "Autre"},
        lambda w: reloaded(w.campaign).message == "Autre", target=lambda w: w.campaign),
    "DELETE /campaigns/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/campaigns/{w.campaign.id}/", lambda w: {},
        lambda w: reloaded(w.campaign) is None, target=lambda w: w.campaign),
    "POST /events/": Endpoint(
        "post", lambda w: "/api/v1/events/",
        lambda w: {"organisation": w.org.id, "title": "Nouvel atelier", "starts_at": WHEN.isoformat(),
                   "recommendations": ["Une"]},
        lambda w: Event.objects.filter(title="Nouvel atelier").exists()),
    "PATCH /events/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/events/{w.event.id}/", lambda w: {"participants_women": 42},
        lambda w: reloaded(w.event).participants_women == 42, target=lambda w: w.event),
    "DELETE /events/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/events/{w.event.id}/", lambda w: {},
        lambda w: reloaded(w.event) is None, target=lambda w: w.event),
    "POST /events/{id}/recommendations/": Endpoint(
        "post", lambda w: f"/api/v1/events/{w.event.id}/recommendations/", lambda w: {"text": "Deuxième"},
        lambda w: w.event.recommendations.count() == 2),
    "PATCH /recommendations/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/recommendations/{w.recommendation.id}/", lambda w: {"status": "under_way"},
        lambda w: reloaded(w.recommendation).status == "under_way", target=lambda w: w.recommendation),
    "DELETE /recommendations/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/recommendations/{w.recommendation.id}/", lambda w: {},
        lambda w: reloaded(w.recommendation) is None, target=lambda w: w.recommendation),
    "POST /news/": Endpoint(
        "post", lambda w: "/api/v1/news/",
        lambda w: {"organisation": w.org.id, "title": "Brève", "body": "Texte",
                   "published_at": (WHEN - timedelta(days=1)).isoformat()},
        lambda w: NewsItem.objects.filter(title="Brève").exists()),
    "PATCH /news/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/news/{w.news.id}/", lambda w: {"body": "Corrigé"},
        lambda w: reloaded(w.news).body == "Corrigé", target=lambda w: w.news),
    "DELETE /news/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/news/{w.news.id}/", lambda w: {},
        lambda w: reloaded(w.news) is None, target=lambda w: w.news),
}

# All targets are A's public records (visible to everyone, so others get 403, not 404).
MATRIX = [
    # endpoint                               visitor editor other_ed coord other_co donor admin
    ("POST /documents/",                      401,   201,   403,     403,  403,     403,  201),
    ("PATCH /documents/{id}/",                401,   200,   403,     403,  403,     403,  200),
    ("DELETE /documents/{id}/",               401,   204,   403,     403,  403,     403,  204),
    ("POST /documents/{id}/files/",           401,   201,   403,     403,  403,     403,  201),
    ("PATCH /document-files/{id}/",           401,   200,   403,     403,  403,     403,  200),
    ("DELETE /document-files/{id}/",          401,   204,   403,     403,  403,     403,  204),
    ("POST /campaigns/",                      401,   201,   403,     403,  403,     403,  201),
    ("PATCH /campaigns/{id}/",                401,   200,   403,     403,  403,     403,  200),
    ("DELETE /campaigns/{id}/",               401,   204,   403,     403,  403,     403,  204),
    ("POST /events/",                         401,   201,   403,     403,  403,     403,  201),
    ("PATCH /events/{id}/",                   401,   200,   403,     403,  403,     403,  200),
    ("DELETE /events/{id}/",                  401,   204,   403,     403,  403,     403,  204),
    ("POST /events/{id}/recommendations/",    401,   201,   403,     403,  403,     403,  201),
    ("PATCH /recommendations/{id}/",          401,   200,   403,     403,  403,     403,  200),
    ("DELETE /recommendations/{id}/",         401,   204,   403,     403,  403,     403,  204),
    ("POST /news/",                           401,   201,   403,     403,  403,     403,  201),
    ("PATCH /news/{id}/",                     401,   200,   403,     403,  403,     403,  200),
    ("DELETE /news/{id}/",                    401,   204,   403,     403,  403,     403,  204),
]

LIBRARY_TABLES = [Document, Document.themes.through, Document.places.through, DocumentFile, Campaign, Event,
                  Recommendation, NewsItem]


def library_snapshot() -> dict:
    """Row count and hash of every library table and of the job queue: equal snapshots mean nothing was written."""
    snapshot = {}
    with connection.cursor() as cursor:
        for model in LIBRARY_TABLES:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t")
            snapshot[model._meta.db_table] = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM procrastinate_jobs")
        snapshot["procrastinate_jobs"] = cursor.fetchone()
    return snapshot


def matrix_cases() -> list:
    return [pytest.param(endpoint, role, status, id=f"{endpoint} as {role} -> {status}")
            for endpoint, *statuses in MATRIX for role, status in zip(ROLES, statuses, strict=True)]


def test_the_matrix_covers_every_library_write_endpoint():
    from tests.zones.test_api_permissions import write_operations_of_the_api

    assert [row[0] for row in MATRIX] == list(ENDPOINTS)
    assert set(ENDPOINTS) == LIBRARY_WRITES
    assert LIBRARY_WRITES <= write_operations_of_the_api()


@pytest.mark.parametrize(("endpoint", "role", "expected"), matrix_cases())
def test_write_permission(world, media_root, endpoint, role, expected):
    write = ENDPOINTS[endpoint]
    url, body = write.url(world), write.body(world)
    before, files_before = library_snapshot(), stored_files(media_root)
    headers = {"HTTP_IF_MATCH": factories.if_match(write.target(world))} if write.target else {}
    client = factories.api_client(world.people[role])
    response = getattr(client, write.method)(url, body, format="multipart" if write.multipart else "json", **headers)
    if expected < 400:
        assert response.status_code == expected, response.content
        assert write.changed(world)
        return
    assert response.status_code == expected, response.content[:300]
    assert library_snapshot() == before, "a refused request changed the library"
    assert stored_files(media_root) == files_before, "a refused request stored a file"
    assert not write.changed(world)
    assert set(response.json()["message"]) == {"fr", "en"}


def test_an_editor_cannot_publish_for_another_organisation(world, media_root):
    before = library_snapshot()
    response = factories.api_client(world.people["editor"]).post("/api/v1/documents/", {
        "organisation": world.other_org.id, "title": "Pour B", "kind": "rapport",
        "file": samples.upload("b.pdf", samples.pdf_bytes("b"))}, format="multipart")
    assert response.status_code == 403
    assert library_snapshot() == before and stored_files(media_root) == []


def test_protected_fields_are_refused(world):
    document = world.document
    response = factories.api_client(world.people["editor"]).patch(
        f"/api/v1/documents/{document.id}/", {"title": "x", "organisation": world.other_org.id},
        HTTP_IF_MATCH=factories.if_match(document), format="json")
    assert response.status_code == 400 and response.json()["code"] == "field_not_allowed"


def test_a_stale_version_is_refused_with_412(world):
    document = world.document
    stale = factories.if_match(document)
    editor = factories.api_client(world.people["editor"])
    assert editor.patch(f"/api/v1/documents/{document.id}/", {"title": "Un"}, HTTP_IF_MATCH=stale,
                        format="json").status_code == 200
    second = editor.patch(f"/api/v1/documents/{document.id}/", {"title": "Deux"}, HTTP_IF_MATCH=stale,
                          format="json")
    assert second.status_code == 412 and second.json()["details"]["current"]["title"] == "Un"


def test_a_private_record_of_another_organisation_answers_404(world):
    document = world.document
    Document.objects.filter(pk=document.pk).update(visibility="private")
    response = factories.api_client(world.people["other_editor"]).patch(
        f"/api/v1/documents/{document.id}/", {"title": "x"}, HTTP_IF_MATCH=factories.if_match(document),
        format="json")
    assert response.status_code == 404
