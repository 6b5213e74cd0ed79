"""Change history (pghistory triggers): every write leaves an event, the history API shows who changed what, and
an earlier version can be restored."""
import pytest
from django.db import connection

from geo_backend.zones.models import Intervention
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture
def editor():
    return factories.user()


@pytest.fixture
def org(editor):
    return factories.organisation("Association Benkadi", editor=editor)


def declare(api, org, title="Causeries VBG") -> dict:
    response = api.post("/api/v1/interventions/", {"organisation": org.id, "title": title, "themes": ["vbg"]},
                        format="json")
    assert response.status_code == 201, response.json()
    return response


def history(api, org) -> list[dict]:
    response = api.get(f"/api/v1/organisations/{org.id}/history/")
    assert response.status_code == 200
    return response.json()["events"]


def event_id(entry: dict) -> int:
    return int(entry["event"].split(":")[1])


def outside_any_request():
    """Forget the last request's history context, as the end of its transaction does in production.

    pghistory records who made a change with set_config(..., is_local => true), which lasts until the transaction
    ends. These tests run inside one transaction, so a later write outside any request would still be attributed
    to the last request's user.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pghistory.context_id', '', true), "
                       "set_config('pghistory.context_metadata', '', true)")


def test_create_update_bulk_update_and_delete_each_leave_an_event(mali, editor, org):
    api = factories.api_client(editor)
    created = declare(api, org)
    pk = created.json()["id"]
    updated = api.patch(f"/api/v1/interventions/{pk}/", {"title": "Causeries et théâtre forum"},
                        HTTP_IF_MATCH=created["ETag"], format="json")
    Intervention.objects.filter(organisation=org).update(status="completed")
    current = Intervention.objects.get(pk=pk)
    deleted = api.delete(f"/api/v1/interventions/{pk}/", HTTP_IF_MATCH=factories.if_match(current))
    assert (updated.status_code, deleted.status_code) == (200, 204)
    events = [(e.pgh_label, e.title, e.status)
              for e in Intervention.pgh_event_models["insert"].objects.filter(id=pk).order_by("pgh_id")]
    assert events[0] == ("insert", "Causeries VBG", "ongoing")
    assert ("update", "Causeries et théâtre forum", "ongoing") in events
    assert ("update", "Causeries et théâtre forum", "completed") in events  # the bulk update
    assert events[-1][0] == "delete"


def test_the_history_shows_who_changed_what_with_before_and_after(mali, editor, org):
    api = factories.api_client(editor)
    created = declare(api, org)
    pk = created.json()["id"]
    api.patch(f"/api/v1/interventions/{pk}/", {"title": "Causeries et théâtre forum"},
              HTTP_IF_MATCH=created["ETag"], format="json")
    outside_any_request()
    Intervention.objects.filter(pk=pk).update(status="completed")
    api.patch(f"/api/v1/organisations/{org.id}/", {"name": "Association Benkadi Ségou"},
              HTTP_IF_MATCH=factories.if_match(org), format="json")
    entries = [(e["model"], e["action"], e["user"], e["changes"]) for e in history(api, org)]
    intervention = [entry for entry in entries if entry[0] == "intervention"]
    assert [(action, user) for _, action, user, _ in intervention] == [
        ("insert", editor.id), ("update", editor.id), ("update", None)]  # the bulk update has no request user
    assert intervention[1][3]["title"] == {"before": "Causeries VBG", "after": "Causeries et théâtre forum"}
    assert intervention[2][3]["status"] == {"before": "ongoing", "after": "completed"}
    renamed = [entry for entry in entries if entry[:2] == ("organisation", "update")]
    assert renamed[-1][2] == editor.id
    assert renamed[-1][3]["name"] == {"before": "Association Benkadi", "after": "Association Benkadi Ségou"}


def test_restoring_an_organisation_brings_back_its_earlier_name_and_is_recorded(mali, editor, org):
    api = factories.api_client(editor)
    api.patch(f"/api/v1/organisations/{org.id}/", {"name": "Nom provisoire"}, HTTP_IF_MATCH=factories.if_match(org),
              format="json")
    creation = next(e for e in history(api, org) if e["model"] == "organisation" and e["action"] == "insert")
    restored = api.post(f"/api/v1/organisations/{org.id}/restore/", {"event": event_id(creation)},
                        HTTP_IF_MATCH=factories.if_match(org), format="json")
    assert restored.status_code == 200, restored.json()
    assert restored.json()["name"] == "Association Benkadi"
    last = [e for e in history(api, org) if e["model"] == "organisation"][-1]
    assert (last["action"], last["user"]) == ("update", editor.id)
    assert last["changes"]["name"] == {"before": "Nom provisoire", "after": "Association Benkadi"}


def test_restoring_an_intervention_brings_back_its_earlier_title_and_is_recorded(mali, editor, org):
    api = factories.api_client(editor)
    created = declare(api, org)
    pk = created.json()["id"]
    api.patch(f"/api/v1/interventions/{pk}/", {"title": "Titre erroné"}, HTTP_IF_MATCH=created["ETag"],
              format="json")
    creation = next(e for e in history(api, org) if e["model"] == "intervention" and e["action"] == "insert")
    restored = api.post(f"/api/v1/interventions/{pk}/restore/", {"event": event_id(creation)},
                        HTTP_IF_MATCH=factories.if_match(Intervention.objects.get(pk=pk)), format="json")
    assert restored.status_code == 200, restored.json()
    assert restored.json()["title"] == "Causeries VBG"
    last = [e for e in history(api, org) if e["model"] == "intervention"][-1]
    assert (last["action"], last["user"]) == ("update", editor.id)
    assert last["changes"]["title"] == {"before": "Titre erroné", "after": "Causeries VBG"}


def test_an_event_of_another_organisation_cannot_be_restored(mali, editor, org):
    other = factories.organisation("Autre association")
    foreign = other.pgh_event_models["insert"].objects.get(id=other.id, pgh_label="insert")
    before = factories.registry_snapshot()
    response = factories.api_client(editor).post(f"/api/v1/organisations/{org.id}/restore/",
                                                 {"event": foreign.pgh_id}, HTTP_IF_MATCH=factories.if_match(org),
                                                 format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "event_not_found"
    assert factories.registry_snapshot() == before


@pytest.mark.parametrize(("who", "status"), [("visitor", 401), ("other editor", 403)])
def test_only_the_organisations_editors_read_its_history(mali, org, who, status):
    person = factories.user() if who == "other editor" else None
    assert factories.api_client(person).get(f"/api/v1/organisations/{org.id}/history/").status_code == status
