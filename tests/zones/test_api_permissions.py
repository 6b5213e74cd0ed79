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
from tests.collaboration.test_permissions import COLLABORATION_WRITES  # their matrix is kept beside their tests
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
    "POST /imports/": Endpoint(  # a real import of one row for A (tests/exchange/test_api_exchange.py: the rest)
        "post", lambda w: "/api/v1/imports/",
        lambda w: {"organisation": w.org.id, "dry_run": False, "filename": "import.csv",
                   "content": "Titre;Thème;Cercle;Commune\nImport matrice;vbg;Ségou;Markala\n"},
        lambda w: Intervention.objects.filter(title="Import matrice", organisation=w.org).exists()),
}

# Expected status of each write, per role. Targets: A's own records; the intervention is validated and public for
# PATCH, DELETE, restore and zones (seen by everyone: others get 403), a draft for submit and a submitted one for
# validate/reject (others cannot see them at all: 404). Memberships: A applies to network M (so M's coordinator,
# "other_coordinator", is the one who answers), and A ends its accepted membership of N.
# "POST /networks/" is open to every signed-in person: what that grants (nothing, until an administrator activates
# the network) is checked by the escalation tests below the matrix.
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
    ("POST /imports/",                     401,   201,   403,     201,  403,     403,  201),
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


# Writes that change no registry record: signing in, revoking an API token, and previewing a zone before saving it.
NOT_REGISTRY_WRITES = {"POST /auth/token/", "DELETE /auth/token/", "POST /zones/preview/"}


def test_the_matrix_covers_every_write_endpoint_of_the_api():
    assert [row[0] for row in MATRIX] == list(ENDPOINTS)
    assert write_operations_of_the_api() - NOT_REGISTRY_WRITES - COLLABORATION_WRITES - LIBRARY_WRITES == set(
        ENDPOINTS)


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


# --- Escalation paths: what registering a network, or holding two roles, must not grant -----------------------
# Registering a network is open to every signed-in person (the "POST /networks/" row above), so what it grants
# is checked here: nothing, until an administrator activates the network. And nobody consents twice: a person
# does not validate her own organisation's declaration, nor answer her own organisation's application.


def register_network(person, name: str = "Réseau enregistré") -> Organisation:
    response = factories.api_client(person).post("/api/v1/networks/", {"name": name, "kind": "reseau"},
                                                 format="json")
    assert response.status_code == 201, response.content
    return Organisation.objects.get(pk=response.json()["id"])


def zone_precision(api, intervention: Intervention) -> str | None:
    response = api.get(f"/api/v1/zones/{intervention.zones.get().id}/")
    return response.json()["properties"]["precision"] if response.status_code == 200 else None


@pytest.mark.parametrize("role", ["editor", "other_editor", "coordinator", "donor"])
def test_registering_a_network_grants_no_coordinator_power_until_it_is_active(world, role):
    from geo_backend.organisations.access import audience_for

    person = world.people[role]
    before = audience_for(type(person).objects.get(pk=person.pk))
    network = register_network(person)
    assert network.status == "pending"
    after = audience_for(type(person).objects.get(pk=person.pk))
    assert network.id in after.editor_of  # she edits what she registered…
    assert (after.coordinator_of, after.coordinated_members) == (before.coordinator_of, before.coordinated_members)
    assert after.sees_restricted_analytics == before.sees_restricted_analytics  # …and gains nothing else


def test_a_donor_who_registers_a_network_still_cannot_read_a_restricted_intervention(world):
    restricted = factories.intervention_in_units(world.org, sensitivity="restricted")
    register_network(world.people["donor"])
    api = factories.api_client(world.people["donor"])
    assert api.get(f"/api/v1/interventions/{restricted.id}/").status_code == 404
    assert restricted.id not in [i["id"] for i in api.get("/api/v1/interventions/").json()["results"]]
    assert zone_precision(api, restricted) is None


def test_an_editor_who_registers_a_network_sees_another_organisations_coarse_zone_only_as_communes(world):
    coarse = factories.intervention_in_units(world.org, sensitivity="coarse")
    register_network(world.people["other_editor"])
    assert zone_precision(factories.api_client(world.people["other_editor"]), coarse) == "communes"


def test_a_coordinator_sees_exactly_only_her_own_members_coarse_zones(world):
    coarse = factories.intervention_in_units(world.org, sensitivity="coarse")
    assert zone_precision(factories.api_client(world.people["coordinator"]), coarse) == "exact"
    assert zone_precision(factories.api_client(world.people["other_coordinator"]), coarse) == "communes"
    assert zone_precision(factories.api_client(world.people["donor"]), coarse) == "communes"


def test_a_coordinator_reads_only_her_own_members_restricted_interventions(world):
    restricted = factories.intervention_in_units(world.org, sensitivity="restricted")
    assert factories.api_client(world.people["coordinator"]).get(
        f"/api/v1/interventions/{restricted.id}/").status_code == 200
    assert factories.api_client(world.people["other_coordinator"]).get(
        f"/api/v1/interventions/{restricted.id}/").status_code == 404


def test_the_coordinator_of_a_pending_network_gets_nothing_from_its_members(world):
    """A network still waiting for activation, even with an accepted member, grants no coordinator power."""
    person = factories.user()
    pending = factories.network(coordinator=person, members=[world.org])
    Organisation.objects.filter(pk=pending.pk).update(status="pending")
    restricted = factories.intervention_in_units(world.org, sensitivity="restricted")
    coarse = factories.intervention_in_units(world.org, sensitivity="coarse")
    submitted = world.submitted
    api = factories.api_client(person)
    assert api.get(f"/api/v1/interventions/{restricted.id}/").status_code == 404
    assert zone_precision(api, coarse) == "communes"
    before = factories.registry_snapshot()
    assert api.post(f"/api/v1/interventions/{submitted.id}/validate/", {},
                    HTTP_IF_MATCH=factories.if_match(submitted), format="json").status_code == 404
    assert api.post("/api/v1/memberships/", {"network": pending.id, "member": world.other_org.id},
                    format="json").status_code == 403
    assert factories.registry_snapshot() == before


def test_an_editor_cannot_enrol_her_own_organisation_in_the_network_she_registered(world):
    editor = world.people["other_editor"]
    network = register_network(editor)
    api = factories.api_client(editor)
    applied = api.post("/api/v1/memberships/", {"network": network.id, "member": world.other_org.id},
                       format="json")
    assert applied.status_code == 201, applied.content
    assert applied.json()["status"] == "applied"  # her organisation's consent only
    Organisation.objects.filter(pk=network.pk).update(status="active")  # an administrator activates the network
    membership = Membership.objects.get(pk=applied.json()["id"])
    before = factories.registry_snapshot()
    refused = api.post(f"/api/v1/memberships/{membership.id}/accept/", {},
                       HTTP_IF_MATCH=factories.if_match(membership), format="json")
    assert refused.status_code == 403
    assert factories.registry_snapshot() == before
    accepted = factories.api_client(world.people["admin"]).post(
        f"/api/v1/memberships/{membership.id}/accept/", {}, HTTP_IF_MATCH=factories.if_match(membership),
        format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_the_coordinator_of_an_active_network_applies_for_her_own_organisation_like_anyone(world):
    editor = world.people["editor"]
    own_network = factories.network(coordinator=editor)
    response = factories.api_client(editor).post("/api/v1/memberships/",
                                                 {"network": own_network.id, "member": world.org.id}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "applied"


@pytest.mark.parametrize("who", ["editor who coordinates", "administrator who edits"])
def test_nobody_validates_her_own_organisations_declaration(world, who):
    person = world.people["editor"] if who == "editor who coordinates" else world.people["admin"]
    if who == "editor who coordinates":
        factories.network(coordinator=person, members=[world.org])  # A was enrolled by someone else
    else:
        from geo_backend.organisations.models import OrganisationRole

        OrganisationRole.objects.create(user=person, organisation=world.org, role="editor")
    submitted = world.submitted
    before = factories.registry_snapshot()
    response = factories.api_client(person).post(f"/api/v1/interventions/{submitted.id}/validate/", {},
                                                 HTTP_IF_MATCH=factories.if_match(submitted), format="json")
    assert response.status_code == 403
    assert factories.registry_snapshot() == before
    assert factories.api_client().get(f"/api/v1/interventions/{submitted.id}/").status_code == 404  # not public


def test_a_declaration_a_network_made_for_a_member_is_validated_outside_that_network(world):
    coordinator = world.people["coordinator"]
    api = factories.api_client(coordinator)
    created = api.post("/api/v1/interventions/", {"organisation": world.org.id, "declared_by_network": world.network.id,
                                                  "title": "Déclarée par le réseau", "themes": ["vbg"]},
                       format="json")
    assert created.status_code == 201, created.content
    declaration = Intervention.objects.get(pk=created.json()["id"])
    assert api.post("/api/v1/zones/", {"intervention": declaration.id, "method": "picked", "units": ["ML040224"]},
                    format="json").status_code == 201
    assert api.post(f"/api/v1/interventions/{declaration.id}/submit/", {},
                    HTTP_IF_MATCH=factories.if_match(declaration), format="json").status_code == 200
    assert api.post(f"/api/v1/interventions/{declaration.id}/validate/", {},
                    HTTP_IF_MATCH=factories.if_match(declaration), format="json").status_code == 403
    validated = factories.api_client(world.people["admin"]).post(
        f"/api/v1/interventions/{declaration.id}/validate/", {}, HTTP_IF_MATCH=factories.if_match(declaration),
        format="json")
    assert validated.status_code == 200 and validated.json()["validation_state"] == "validated"


# --- The directory search: every filter applies to the same visible intervention --------------------------------
# Organisation B works visibly on VBG in Ségou (region ML04); its only work on girls' education, in Kayes (region
# ML01), is hidden (restricted, or a draft). No search may list B because of the hidden work.

SEARCHES = [
    ({"area": "ML01"}, False),
    ({"theme": "education-filles"}, False),
    ({"area": "ML04", "theme": "education-filles"}, False),
    ({"area": "ML01", "theme": "vbg"}, False),
    ({"area": "ML04", "theme": "vbg"}, True),
    ({"area": "ML04"}, True),
]


@pytest.fixture(params=["restricted", "draft"])
def hidden_work(request, world):
    factories.intervention_in_units(world.other_org, units=("ML040224",), theme="vbg")
    state = {"restricted": {"sensitivity": "restricted"}, "draft": {"state": "draft"}}[request.param]
    factories.intervention_in_units(world.other_org, units=("ML010213",), theme="education-filles", **state)
    return world.other_org


@pytest.mark.parametrize(("query", "listed"), SEARCHES, ids=[str(q) for q, _ in SEARCHES])
@pytest.mark.parametrize("who", ["visitor", "coordinator"])
def test_the_api_search_matches_only_visible_interventions(world, hidden_work, who, query, listed):
    """As a visitor, and as the coordinator of a network B does not belong to."""
    found = factories.api_client(world.people[who]).get("/api/v1/organisations/", query).json()["results"]
    assert (hidden_work.id in [o["id"] for o in found]) == listed


@pytest.mark.parametrize(("query", "listed"), SEARCHES, ids=[str(q) for q, _ in SEARCHES])
def test_the_directory_page_matches_only_visible_interventions(world, hidden_work, client, query, listed):
    params = {"region": query["area"]} if "area" in query else {}
    params.update({"theme": query["theme"]} if "theme" in query else {})
    page = client.get("/organisations/", params).content.decode()
    assert (hidden_work.name in page) == listed
