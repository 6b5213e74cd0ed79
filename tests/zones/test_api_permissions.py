"""Who may write what through the API: every write endpoint × every role, on the records of organisation A.

The world: organisation A (its editor: "editor"), a member of network N (its coordinator: "coordinator");
organisation B (its editor: "other_editor"), a member of network M (its coordinator: "other_coordinator");
a donor (group "bailleurs"), a platform administrator (superuser) and a visitor (not signed in).

A refusal must change nothing: every refused request is checked against a snapshot of the registry tables.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pytest

from geo_backend.api import urls as api_urls
from geo_backend.common.locking import version_bump
from geo_backend.organisations.models import Membership, Organisation
from geo_backend.zones.models import Intervention, Zone
from tests import factories
from tests.library.permission_matrix import LIBRARY_WRITES  # the library's matrix: tests/library/test_permissions.py

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

ROLES = ("visitor", "editor", "other_editor", "coordinator", "other_coordinator", "donor", "admin")

# A second small square in Ségou, away from factories.SEGOU_SQUARE.
OTHER_SQUARE = {"type": "Polygon", "coordinates": [[[-6.0, 13.2], [-5.95, 13.2], [-5.95, 13.25], [-6.0, 13.25],
                                                    [-6.0, 13.2]]]}


@dataclass
class World:
    people: dict
    org: Organisation  # A
    other_org: Organisation  # B
    network: Organisation  # N, A's network
    other_network: Organisation  # M, B's network

    @cached_property
    def validated(self) -> Intervention:
        return factories.intervention_in_units(self.org)

    @cached_property
    def draft(self) -> Intervention:
        return factories.intervention_in_units(self.org, state="draft")

    @cached_property
    def submitted(self) -> Intervention:
        return factories.intervention_in_units(self.org, state="submitted")

    @cached_property
    def zone(self) -> Zone:
        return self.validated.zones.get()

    @cached_property
    def application(self) -> Membership:
        """A applies to join network M."""
        return Membership.objects.create(network=self.other_network, member=self.org, status="applied")

    @cached_property
    def membership(self) -> Membership:
        """A's accepted membership of its network N."""
        return Membership.objects.get(network=self.network, member=self.org)

    @cached_property
    def renamed_org(self) -> tuple[Organisation, int]:
        """A, renamed after its creation, and the history event of its creation (to restore)."""
        created = Organisation.pgh_event_models["insert"].objects.get(id=self.org.id, pgh_label="insert")
        version_bump(Organisation, pk=self.org.pk, expected_version=self.org.version, name="Nom changé")
        return self.org, created.pgh_id

    @cached_property
    def retitled(self) -> tuple[Intervention, int]:
        """A validated intervention of A, retitled after its creation, and the event of its creation."""
        intervention = self.validated
        created = Intervention.pgh_event_models["insert"].objects.get(id=intervention.id, pgh_label="insert")
        version_bump(Intervention, pk=intervention.pk, expected_version=intervention.version, title="Titre changé")
        return intervention, created.pgh_id


@pytest.fixture
def world(mali) -> World:
    people = {"visitor": None, "donor": factories.donor(), "admin": factories.user(superuser=True)}
    people.update({role: factories.user() for role in ("editor", "other_editor", "coordinator", "other_coordinator")})
    org = factories.organisation("Association A", editor=people["editor"])
    other_org = factories.organisation("Association B", editor=people["other_editor"])
    return World(people=people, org=org, other_org=other_org,
                 network=factories.network(coordinator=people["coordinator"], members=[org]),
                 other_network=factories.network(coordinator=people["other_coordinator"], members=[other_org]))


def reloaded(record):
    return type(record).objects.filter(pk=record.pk).first()


@dataclass
class Endpoint:
    method: str
    url: Callable[[World], str]
    body: Callable[[World], dict]
    changed: Callable[[World], bool]  # true once the write has happened
    target: Callable[[World], object] | None = None  # the record whose version is sent in If-Match


ENDPOINTS = {
    "POST /organisations/": Endpoint(
        "post", lambda w: "/api/v1/organisations/", lambda w: {"name": "Nouvelle association", "kind": "association"},
        lambda w: Organisation.objects.filter(name="Nouvelle association").exists()),
    "PATCH /organisations/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/organisations/{w.org.id}/", lambda w: {"description": "Nouvelle description"},
        lambda w: reloaded(w.org).description == "Nouvelle description", target=lambda w: w.org),
    "DELETE /organisations/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/organisations/{w.org.id}/", lambda w: {},
        lambda w: reloaded(w.org).status == "archived", target=lambda w: w.org),
    "POST /organisations/{id}/restore/": Endpoint(
        "post", lambda w: f"/api/v1/organisations/{w.org.id}/restore/", lambda w: {"event": w.renamed_org[1]},
        lambda w: reloaded(w.org).name == "Association A", target=lambda w: w.renamed_org[0]),
    "POST /networks/": Endpoint(
        "post", lambda w: "/api/v1/networks/", lambda w: {"name": "Nouveau réseau", "kind": "reseau"},
        lambda w: Organisation.objects.filter(name="Nouveau réseau", kind="reseau").exists()),
    "POST /memberships/": Endpoint(
        "post", lambda w: "/api/v1/memberships/", lambda w: {"network": w.other_network.id, "member": w.org.id},
        lambda w: Membership.objects.filter(network=w.other_network, member=w.org).exists()),
    "POST /memberships/{id}/accept/": Endpoint(
        "post", lambda w: f"/api/v1/memberships/{w.application.id}/accept/", lambda w: {},
        lambda w: reloaded(w.application).status == "accepted", target=lambda w: w.application),
    "POST /memberships/{id}/decline/": Endpoint(
        "post", lambda w: f"/api/v1/memberships/{w.application.id}/decline/", lambda w: {},
        lambda w: reloaded(w.application).status == "declined", target=lambda w: w.application),
    "POST /memberships/{id}/end/": Endpoint(
        "post", lambda w: f"/api/v1/memberships/{w.membership.id}/end/", lambda w: {},
        lambda w: reloaded(w.membership).status == "ended", target=lambda w: w.membership),
    "POST /interventions/": Endpoint(
        "post", lambda w: "/api/v1/interventions/",
        lambda w: {"organisation": w.org.id, "title": "Nouvelle intervention", "themes": ["vbg"]},
        lambda w: Intervention.objects.filter(title="Nouvelle intervention", organisation=w.org).exists()),
    "PATCH /interventions/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/interventions/{w.validated.id}/", lambda w: {"title": "Titre modifié"},
        lambda w: reloaded(w.validated).title == "Titre modifié", target=lambda w: w.validated),
    "DELETE /interventions/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/interventions/{w.validated.id}/", lambda w: {},
        lambda w: reloaded(w.validated) is None, target=lambda w: w.validated),
    "POST /interventions/{id}/submit/": Endpoint(
        "post", lambda w: f"/api/v1/interventions/{w.draft.id}/submit/", lambda w: {},
        lambda w: reloaded(w.draft).validation_state == "submitted", target=lambda w: w.draft),
    "POST /interventions/{id}/validate/": Endpoint(
        "post", lambda w: f"/api/v1/interventions/{w.submitted.id}/validate/", lambda w: {},
        lambda w: reloaded(w.submitted).validation_state == "validated", target=lambda w: w.submitted),
    "POST /interventions/{id}/reject/": Endpoint(
        "post", lambda w: f"/api/v1/interventions/{w.submitted.id}/reject/", lambda w: {"reason": "Zone imprécise"},
        lambda w: reloaded(w.submitted).validation_state == "rejected", target=lambda w: w.submitted),
    "POST /interventions/{id}/restore/": Endpoint(
        "post", lambda w: f"/api/v1/interventions/{w.retitled[0].id}/restore/", lambda w: {"event": w.retitled[1]},
        lambda w: reloaded(w.retitled[0]).title != "Titre changé", target=lambda w: w.retitled[0]),
    "POST /zones/": Endpoint(
        "post", lambda w: "/api/v1/zones/",
        lambda w: {"intervention": w.validated.id, "method": "drawn", "geometry": OTHER_SQUARE},
        lambda w: w.validated.zones.count() == 2),
    "PUT /zones/{id}/": Endpoint(
        "put", lambda w: f"/api/v1/zones/{w.zone.id}/", lambda w: {"method": "picked", "units": ["ML040223"]},
        lambda w: list(reloaded(w.zone).picked_units.values_list("pcode", flat=True)) == ["ML040223"],
        target=lambda w: w.zone),
    "DELETE /zones/{id}/": Endpoint(
        "delete", lambda w: f"/api/v1/zones/{w.zone.id}/", lambda w: {},
        lambda w: reloaded(w.zone) is None, target=lambda w: w.zone),
}

# Expected status of each write, per role. Targets: A's own records; the intervention is validated and public for
# PATCH, DELETE, restore and zones (seen by everyone: others get 403), a draft for submit and a submitted one for
# validate/reject (others cannot see them at all: 404). Memberships: A applies to network M (so M's coordinator,
# "other_coordinator", is the one who answers), and A ends its accepted membership of N.
MATRIX = [
    # endpoint                            visitor editor other_ed coord other_co donor admin
    ("POST /organisations/",               401,   201,   201,     201,  201,     201,  201),
    ("PATCH /organisations/{id}/",         401,   200,   403,     403,  403,     403,  200),
    ("DELETE /organisations/{id}/",        401,   200,   403,     403,  403,     403,  200),
    ("POST /organisations/{id}/restore/",  401,   200,   403,     403,  403,     403,  200),
    ("POST /networks/",                    401,   201,   201,     201,  201,     201,  201),
    ("POST /memberships/",                 401,   201,   403,     403,  201,     403,  201),
    ("POST /memberships/{id}/accept/",     401,   403,   404,     404,  200,     404,  200),
    ("POST /memberships/{id}/decline/",    401,   403,   404,     404,  200,     404,  200),
    ("POST /memberships/{id}/end/",        401,   200,   403,     200,  403,     403,  200),
    ("POST /interventions/",               401,   201,   403,     403,  403,     403,  201),
    ("PATCH /interventions/{id}/",         401,   200,   403,     403,  403,     403,  200),
    ("DELETE /interventions/{id}/",        401,   204,   403,     403,  403,     403,  204),
    ("POST /interventions/{id}/submit/",   401,   200,   404,     404,  404,     404,  200),
    ("POST /interventions/{id}/validate/", 401,   403,   404,     200,  404,     404,  200),
    ("POST /interventions/{id}/reject/",   401,   403,   404,     200,  404,     404,  200),
    ("POST /interventions/{id}/restore/",  401,   200,   403,     403,  403,     403,  200),
    ("POST /zones/",                       401,   201,   403,     403,  403,     403,  201),
    ("PUT /zones/{id}/",                   401,   200,   403,     403,  403,     403,  200),
    ("DELETE /zones/{id}/",                401,   204,   403,     403,  403,     403,  204),
]


class WrongStatus(AssertionError):
    """The status differs from the matrix (kept apart from "something was written", which is never expected)."""


def matrix_cases() -> list:
    cases = []
    for endpoint, *statuses in MATRIX:
        for role, status in zip(ROLES, statuses, strict=True):
            cases.append(pytest.param(endpoint, role, status, id=f"{endpoint} as {role} -> {status}"))
    return cases


def send(world: World, endpoint: Endpoint, role: str, url: str, body: dict):
    headers = {"HTTP_IF_MATCH": factories.if_match(endpoint.target(world))} if endpoint.target else {}
    return getattr(factories.api_client(world.people[role]), endpoint.method)(url, body, format="json", **headers)


def write_operations_of_the_api() -> set[str]:
    """Every "METHOD /path/" of geo_backend/api/urls.py whose view accepts POST, PUT, PATCH or DELETE."""
    operations = set()
    for pattern in api_urls.urlpatterns:
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", "{id}", str(pattern.pattern))
        operations |= {f"{method.upper()} {path}" for method in ("post", "put", "patch", "delete")
                       if hasattr(view, method)}
    return operations


# POSTs that change no registry record: signing in, and previewing a zone before saving it.
NOT_REGISTRY_WRITES = {"POST /auth/token/", "POST /zones/preview/"}


def test_the_matrix_covers_every_write_endpoint_of_the_api():
    assert [row[0] for row in MATRIX] == list(ENDPOINTS)
    assert write_operations_of_the_api() - NOT_REGISTRY_WRITES - LIBRARY_WRITES == set(ENDPOINTS)


def test_previewing_a_zone_writes_nothing(world):
    before = factories.registry_snapshot()
    response = factories.api_client(world.people["other_editor"]).post(
        "/api/v1/zones/preview/", {"method": "drawn", "geometry": OTHER_SQUARE}, format="json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["type"] == "Feature"
    assert factories.registry_snapshot() == before


@pytest.mark.parametrize(("endpoint", "role", "expected"), matrix_cases())
def test_write_permission(world, endpoint, role, expected):
    write = ENDPOINTS[endpoint]
    url, body = write.url(world), write.body(world)  # creates the target records, before the snapshot
    before = factories.registry_snapshot()
    response = send(world, write, role, url, body)
    if expected < 400:
        assert response.status_code == expected, response.content
        assert write.changed(world)
        return
    assert factories.registry_snapshot() == before, "a refused request changed the registry"
    assert not write.changed(world)
    if response.status_code != expected:
        raise WrongStatus(f"{response.status_code} != {expected}: {response.content[:300]!r}")
    assert set(response.json()["message"]) == {"fr", "en"}


# --- Protected and unknown fields ---------------------------------------------------------------------------

def test_editor_cannot_create_an_intervention_for_another_organisation(world):
    before = factories.registry_snapshot()
    response = factories.api_client(world.people["editor"]).post(
        "/api/v1/interventions/", {"organisation": world.other_org.id, "title": "Pour B", "themes": ["vbg"]},
        format="json")
    assert response.status_code == 403
    assert factories.registry_snapshot() == before


@pytest.mark.parametrize("field", ["validation_state", "organisation", "colour"])
def test_editor_cannot_patch_protected_or_unknown_intervention_fields(world, field):
    intervention = world.submitted
    value = {"validation_state": "validated", "organisation": world.other_org.id, "colour": "violet"}[field]
    before = factories.registry_snapshot()
    response = factories.api_client(world.people["editor"]).patch(
        f"/api/v1/interventions/{intervention.id}/", {"title": "Avec un champ interdit", field: value},
        HTTP_IF_MATCH=factories.if_match(intervention), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "field_not_allowed"
    assert response.json()["details"]["fields"] == [field]
    assert factories.registry_snapshot() == before


@pytest.mark.parametrize(("url", "body", "unknown"), [
    ("/api/v1/organisations/", lambda w: {"name": "Avec statut", "kind": "association", "status": "active"},
     "status"),
    ("/api/v1/interventions/", lambda w: {"organisation": w.org.id, "title": "Avec état", "themes": ["vbg"],
                                          "validation_state": "validated"}, "validation_state"),
    ("/api/v1/zones/", lambda w: {"intervention": w.validated.id, "method": "picked", "units": ["ML040224"],
                                  "area_km2": 1}, "area_km2"),
], ids=["organisation status", "intervention validation_state", "zone area_km2"])
def test_create_refuses_fields_it_does_not_know(world, url, body, unknown):
    data = body(world)
    before = factories.registry_snapshot()
    response = factories.api_client(world.people["editor"]).post(url, data, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "field_not_allowed"
    assert response.json()["details"]["fields"] == [unknown]
    assert factories.registry_snapshot() == before


def test_editor_cannot_activate_their_own_pending_organisation(world):
    pending = factories.organisation(status="pending", editor=world.people["editor"])
    before = factories.registry_snapshot()
    response = factories.api_client(world.people["editor"]).patch(
        f"/api/v1/organisations/{pending.id}/", {"status": "active"}, HTTP_IF_MATCH=factories.if_match(pending),
        format="json")
    assert response.status_code == 403
    assert factories.registry_snapshot() == before


def test_adding_a_zone_to_a_draft_one_cannot_see_answers_404(world):
    draft = world.draft
    api = factories.api_client(world.people["other_editor"])
    assert api.get(f"/api/v1/interventions/{draft.id}/").status_code == 404
    before = factories.registry_snapshot()
    response = api.post("/api/v1/zones/", {"intervention": draft.id, "method": "drawn", "geometry": OTHER_SQUARE},
                        format="json")
    assert factories.registry_snapshot() == before
    assert response.status_code == 404, response.status_code
