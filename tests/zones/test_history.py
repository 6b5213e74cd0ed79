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


# --- Many-to-many links: themes, kinds of action, target groups, funders, partners, picked units --------------


def link_entries(entries: list[dict], model: str) -> list[tuple[str, dict]]:
    return [(e["action"], e["changes"]) for e in entries if e["model"] == model]


def test_changing_an_interventions_links_is_recorded_with_who_changed_them(mali, editor, org):
    from geo_backend.taxonomy.models import Funder, Theme

    api = factories.api_client(editor)
    created = declare(api, org)
    partner, funder = factories.organisation("Partenaire"), Funder.objects.create(name="Fonds Test")
    changed = api.patch(f"/api/v1/interventions/{created.json()['id']}/",
                        {"themes": ["education-filles"], "action_kinds": ["plaidoyer"], "target_groups": ["filles"],
                         "funders": [funder.id], "partners": [partner.id]},
                        HTTP_IF_MATCH=created["ETag"], format="json")
    assert changed.status_code == 200, changed.json()
    entries = history(api, org)
    vbg, education = Theme.objects.get(code="vbg"), Theme.objects.get(code="education-filles")
    themes = link_entries(entries, "interventiontheme")
    assert [(action, changes["theme_id"]) for action, changes in themes] == [
        ("insert", {"before": None, "after": vbg.id}),
        ("delete", {"before": vbg.id, "after": None}),
        ("insert", {"before": None, "after": education.id}),
    ]
    assert link_entries(entries, "interventionfunder")[0][1]["funder_id"] == {"before": None, "after": funder.id}
    assert link_entries(entries, "interventionpartner")[0][1]["organisation_id"] == {"before": None,
                                                                                   "after": partner.id}
    assert [a for a, _ in link_entries(entries, "interventionactionkind")] == ["insert"]
    assert [a for a, _ in link_entries(entries, "interventiontargetgroup")] == ["insert"]
    assert {e["user"] for e in entries if e["model"].startswith("intervention")} == {editor.id}


def test_restoring_an_intervention_brings_back_its_links_as_they_were_in_that_version(mali, editor, org):
    from geo_backend.taxonomy.models import Funder

    api = factories.api_client(editor)
    first_funder, second_funder = Funder.objects.create(name="Fonds A"), Funder.objects.create(name="Fonds B")
    partner = factories.organisation("Partenaire")
    created = api.post("/api/v1/interventions/", {
        "organisation": org.id, "title": "Version 1", "themes": ["vbg"], "action_kinds": ["sensibilisation"],
        "target_groups": ["femmes"], "funders": [first_funder.id], "partners": [partner.id]}, format="json")
    pk = created.json()["id"]
    second = api.patch(f"/api/v1/interventions/{pk}/", {
        "title": "Version 2", "themes": ["education-filles"], "action_kinds": [], "target_groups": ["filles"],
        "funders": [second_funder.id], "partners": []}, HTTP_IF_MATCH=created["ETag"], format="json")
    third = api.patch(f"/api/v1/interventions/{pk}/", {"title": "Version 3", "themes": ["paix-securite"],
                                                       "target_groups": [], "funders": []},
                      HTTP_IF_MATCH=second["ETag"], format="json")
    assert (created.status_code, second.status_code, third.status_code) == (201, 200, 200)
    events = [e for e in history(api, org) if e["model"] == "intervention"]
    version_2 = next(e for e in events if e["changes"].get("title", {}).get("after") == "Version 2")

    def restore(event) -> dict:
        response = api.post(f"/api/v1/interventions/{pk}/restore/", {"event": event_id(event)},
                            HTTP_IF_MATCH=factories.if_match(Intervention.objects.get(pk=pk)), format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    links = ("title", "themes", "action_kinds", "target_groups", "funders", "partners")
    restored = restore(version_2)
    assert [restored[k] for k in links] == ["Version 2", ["education-filles"], [], ["filles"], ["Fonds B"], []]
    restored = restore(events[0])
    assert [restored[k] for k in links] == ["Version 1", ["vbg"], ["sensibilisation"], ["femmes"], ["Fonds A"],
                                            [partner.id]]
    themes = link_entries(history(api, org), "interventiontheme")
    assert themes[-1][0] == "insert"  # the restore is recorded like any other change


def test_changing_a_zones_picked_units_is_recorded(mali, editor, org):
    from geo_backend.regions.models import AdminUnit

    api = factories.api_client(editor)
    created = declare(api, org)
    zone = api.post("/api/v1/zones/", {"intervention": created.json()["id"], "method": "picked",
                                       "units": ["ML040224"]}, format="json")
    assert zone.status_code == 201, zone.json()
    moved = api.put(f"/api/v1/zones/{zone.json()['id']}/", {"method": "picked", "units": ["ML040223"]},
                    HTTP_IF_MATCH=zone["ETag"], format="json")
    assert moved.status_code == 200, moved.json()
    units = dict(AdminUnit.objects.filter(pcode__in=["ML040224", "ML040223"]).values_list("pcode", "id"))
    picked = link_entries(history(api, org), "zonepickedunit")
    assert sorted((action, changes["adminunit_id"]["after"] or changes["adminunit_id"]["before"])
                  for action, changes in picked) == sorted([
        ("insert", units["ML040224"]), ("delete", units["ML040224"]), ("insert", units["ML040223"])])


# --- Administrators' saves are versions too --------------------------------------------------------------------


def admin_change_data(response) -> dict:
    """The POST body of a Django admin change page, with every field and inline as the page shows them."""
    import datetime as dt

    def add(data, form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, dt.date):
                data[key] = value.isoformat()
            else:
                data[key] = str(getattr(value, "pk", value))

    data = {}
    add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(data, formset.management_form)
        for form in formset.initial_forms:
            add(data, form)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
    return data


@pytest.fixture
def admin_client_of_the_site(client):
    client.force_login(factories.user(superuser=True))
    return client


def test_an_administrators_save_bumps_the_version_so_an_older_api_write_gets_412(mali, editor, org,
                                                                                   admin_client_of_the_site):
    stale = factories.if_match(org)
    url = f"/admin/organisations/organisation/{org.id}/change/"
    data = admin_change_data(admin_client_of_the_site.get(url))
    data["description"] = "Changée par l'administration"
    saved = admin_client_of_the_site.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    org.refresh_from_db()
    assert (org.version, org.description) == (2, "Changée par l'administration")
    response = factories.api_client(editor).patch(f"/api/v1/organisations/{org.id}/", {"description": "Écrasée"},
                                                  HTTP_IF_MATCH=stale, format="json")
    assert response.status_code == 412
    assert response.json()["details"]["current"]["version"] == 2
    org.refresh_from_db()
    assert org.description == "Changée par l'administration"


def test_an_administrators_change_of_themes_bumps_the_version_and_is_recorded(mali, editor, org,
                                                                               admin_client_of_the_site):
    from geo_backend.taxonomy.models import Theme

    intervention = factories.intervention_in_units(org)
    stale = factories.if_match(intervention)
    url = f"/admin/zones/intervention/{intervention.id}/change/"
    data = admin_change_data(admin_client_of_the_site.get(url))
    data["themes"] = [str(Theme.objects.get(code="education-filles").id)]
    saved = admin_client_of_the_site.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    intervention.refresh_from_db()
    assert list(intervention.themes.values_list("code", flat=True)) == ["education-filles"]
    response = factories.api_client(editor).patch(f"/api/v1/interventions/{intervention.id}/", {"title": "Écrasée"},
                                                  HTTP_IF_MATCH=stale, format="json")
    assert response.status_code == 412
    themes = link_entries(history(factories.api_client(editor), org), "interventiontheme")
    assert ("delete", "insert") == tuple(sorted(action for action, _ in themes[-2:]))


def test_the_administrators_activate_action_bumps_the_version(org, admin_client_of_the_site):
    from geo_backend.organisations.models import Organisation

    pending = factories.organisation(status="pending")
    stale = factories.if_match(pending)
    response = admin_client_of_the_site.post("/admin/organisations/organisation/",
                                             {"action": "activate", "_selected_action": [str(pending.id)]})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.version) == ("active", 2)
    assert factories.if_match(Organisation.objects.get(pk=pending.pk)) != stale
