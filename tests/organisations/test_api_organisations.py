"""The organisation API: contacts by visibility, registration, optimistic locking, and the OpenAPI schema."""
import re

import pytest
import yaml
from django.core.management import call_command

from geo_backend.api import urls as api_urls
from geo_backend.organisations.models import Contact, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return factories.user()


@pytest.fixture
def org(editor):
    org = factories.organisation("Association Musso Kalanso", editor=editor)
    for visibility in ("public", "members", "private"):
        Contact.objects.create(organisation=org, kind="email", value=f"{visibility}@example.org",
                               visibility=visibility)
    return org


def contact_levels(person, org) -> list[str]:
    response = factories.api_client(person).get(f"/api/v1/organisations/{org.id}/")
    assert response.status_code == 200
    return sorted(c["visibility"] for c in response.json()["contacts"])


def test_a_visitor_sees_only_public_contacts(org):
    assert contact_levels(None, org) == ["public"]


def test_a_signed_in_editor_of_another_organisation_sees_public_and_members_contacts(org):
    other_editor = factories.user()
    factories.organisation(editor=other_editor)
    assert contact_levels(other_editor, org) == ["members", "public"]


def test_the_owners_editor_sees_every_contact(org, editor):
    assert contact_levels(editor, org) == ["members", "private", "public"]


def test_a_pending_organisation_is_hidden_from_others_but_not_from_its_editor(editor):
    pending = factories.organisation(status="pending", editor=editor)
    assert factories.api_client().get(f"/api/v1/organisations/{pending.id}/").status_code == 404
    assert factories.api_client(factories.user()).get(f"/api/v1/organisations/{pending.id}/").status_code == 404
    assert factories.api_client(editor).get(f"/api/v1/organisations/{pending.id}/").status_code == 200


def test_a_registered_organisation_is_pending_and_its_author_becomes_its_editor(editor):
    api = factories.api_client(editor)
    response = api.post("/api/v1/organisations/", {"name": "Nouvelle association", "kind": "association"},
                        format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    registered = Organisation.objects.get(pk=response.json()["id"])
    assert registered.roles.filter(user=editor, role="editor").exists()
    assert api.patch(f"/api/v1/organisations/{registered.id}/", {"acronym": "NA"},
                     HTTP_IF_MATCH=response["ETag"], format="json").status_code == 200


@pytest.mark.parametrize(("method", "expected_status"), [("post", 201), ("patch", 200)])
def test_an_organisation_is_saved_with_its_contacts(org, editor, method, expected_status):
    api = factories.api_client(editor)
    api.raise_request_exception = False
    contacts = [{"kind": "phone", "value": "+223 20 00 00 00", "visibility": "public"}]
    if method == "post":
        response = api.post("/api/v1/organisations/", {"name": "Avec contacts", "kind": "ong", "contacts": contacts},
                            format="json")
    else:
        response = api.patch(f"/api/v1/organisations/{org.id}/", {"contacts": contacts},
                             HTTP_IF_MATCH=factories.if_match(org), format="json")
    assert response.status_code == expected_status, response.status_code
    assert [c["value"] for c in response.json()["contacts"]] == ["+223 20 00 00 00"]


def test_a_contact_with_an_unknown_field_is_refused_and_nothing_is_written(org, editor):
    api = factories.api_client(editor)
    api.raise_request_exception = False
    before = factories.registry_snapshot()
    response = api.patch(f"/api/v1/organisations/{org.id}/",
                         {"contacts": [{"kind": "email", "value": "a@example.org", "secret": True}]},
                         HTTP_IF_MATCH=factories.if_match(org), format="json")
    assert factories.registry_snapshot() == before
    assert response.status_code == 400, response.status_code
    assert response.json()["code"] == "field_not_allowed"


def test_two_patches_of_the_same_organisation_version_one_saves_the_other_gets_412(org, editor):
    api = factories.api_client(editor)
    etag = api.get(f"/api/v1/organisations/{org.id}/")["ETag"]
    first = api.patch(f"/api/v1/organisations/{org.id}/", {"acronym": "AMK"}, HTTP_IF_MATCH=etag, format="json")
    second = api.patch(f"/api/v1/organisations/{org.id}/", {"acronym": "MK"}, HTTP_IF_MATCH=etag, format="json")
    assert (first.status_code, second.status_code) == (200, 412)
    assert second.json()["code"] == "stale_version"
    assert second.json()["details"]["current_version"] == 2
    org.refresh_from_db()
    assert org.acronym == "AMK"


def test_a_stale_organisation_patch_returns_the_current_organisation(org, editor):
    api = factories.api_client(editor)
    etag = api.get(f"/api/v1/organisations/{org.id}/")["ETag"]
    api.patch(f"/api/v1/organisations/{org.id}/", {"acronym": "AMK"}, HTTP_IF_MATCH=etag, format="json")
    stale = api.patch(f"/api/v1/organisations/{org.id}/", {"acronym": "MK"}, HTTP_IF_MATCH=etag, format="json")
    assert stale.status_code == 412
    current = stale.json()["details"]["current"]
    assert current is not None and (current["acronym"], current["version"]) == ("AMK", 2)


# --- OpenAPI schema -----------------------------------------------------------------------------------------

def documented_path(pattern) -> str:
    """The OpenAPI path of a URL pattern: <int:pk> becomes {id}, as drf-spectacular writes it."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m[1] == "pk" else f"{{{m[1]}}}", str(pattern.pattern))
    return f"/api/v1/{path}"


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    assert yaml.safe_load(schema.read_text())["openapi"].startswith("3.")


def test_the_schema_served_at_api_lists_every_api_endpoint():
    response = factories.api_client().get("/api/")
    assert response.status_code == 200
    paths = yaml.safe_load(response.content)["paths"]
    expected = {documented_path(pattern) for pattern in api_urls.urlpatterns}
    assert expected - set(paths) == set()
    assert {"patch", "delete"} <= set(paths["/api/v1/organisations/{id}/"])
    assert {"put", "delete"} <= set(paths["/api/v1/zones/{id}/"])
