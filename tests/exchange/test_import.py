"""Importing messy spreadsheets against the real Mali reference: matching, dry run, all-or-nothing, idempotence."""
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from geo_backend.common.errors import DomainError
from geo_backend.exchange.models import ColumnMapping, ImportedIntervention, ImportRun
from geo_backend.exchange.services import import_file
from geo_backend.organisations.access import audience_for
from geo_backend.zones.models import Intervention
from tests import factories

from .messy import BAD_DATE, DUPLICATE, GOOD_ROWS, UNKNOWN_ORGANISATION, UNKNOWN_PLACE, semicolon_cp1252, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def run(orgs, data, *, who="editor", dry_run=True, filename="3W.csv", **options):
    return import_file(audience=audience_for(orgs["people"][who]), data=data, filename=filename, dry_run=dry_run,
                       **options)


def test_dry_run_matches_every_messy_row_or_flags_it_and_writes_nothing(orgs):
    rows = [*GOOD_ROWS, DUPLICATE, UNKNOWN_ORGANISATION, BAD_DATE, UNKNOWN_PLACE]
    before = factories.registry_snapshot()
    report = run(orgs, semicolon_cp1252(rows))
    assert factories.registry_snapshot() == before and not ImportRun.objects.exists()
    assert (report["format"], report["encoding"], report["separator"]) == ("csv", "cp1252", ";")
    by_line = {row["line"]: row for row in report["rows"]}
    expected_places = ["ML040216", "ML040207", "ML0102", "ML090104", "ML020104"]
    for line, pcode in zip(range(2, 7), expected_places, strict=True):
        row = by_line[line]
        assert [p for p in row["problems"] if p["severity"] == "error"] == [], row
        assert row["place"]["pcode"] == pcode, row
        assert row["action"] == "create"
    assert by_line[3]["place"]["method"] == "fuzzy"
    assert by_line[4]["place"]["scheme"] == "hdx2017"
    assert by_line[6]["place"]["locality"] and by_line[6]["place"]["method"] == "locality"
    duplicate = by_line[7]
    assert [p["code"] for p in duplicate["problems"]] == ["duplicate_row"] and duplicate["action"] == "create"
    unknown_org = by_line[8]["problems"]
    assert unknown_org[0]["code"] == "organisation_unknown" and by_line[8]["action"] == "error"
    assert by_line[9]["problems"][0]["code"] == "date_invalid"
    place_problem = by_line[10]["problems"][0]
    assert place_problem["code"] == "place_unmatched" and place_problem["candidates"]
    assert report["counts"] == {"rows": 9, "errors": 3, "create": 5, "update": 0, "unchanged": 0}


def test_a_real_run_with_any_error_writes_nothing(orgs):
    before = factories.registry_snapshot()
    with pytest.raises(DomainError) as refused:
        run(orgs, semicolon_cp1252([*GOOD_ROWS, UNKNOWN_ORGANISATION]), dry_run=False)
    assert refused.value.code == "import_has_errors" and refused.value.status_code == 400
    assert factories.registry_snapshot() == before
    assert not ImportRun.objects.exists() and not ImportedIntervention.objects.exists()


def test_a_real_run_failing_midway_writes_nothing(orgs):
    # The last row's zone lies outside Mali: the zones service refuses it after the first rows were written.
    header = ["Organisation", "Titre", "Thème", "Commune", "Cercle", "WKT"]
    rows = [["Association Bènkadi", "Dans Markala", "vbg", "Markala", "Ségou", ""],
            ["Association Bènkadi", "À Paris", "vbg", "", "", "POLYGON((2 48,2.1 48,2.1 48.1,2 48.1,2 48))"]]
    before = factories.registry_snapshot()
    with pytest.raises(DomainError) as refused:
        run(orgs, xlsx(header, rows), dry_run=False, filename="zones.xlsx")
    assert refused.value.code == "import_failed" and "3" in refused.value.message_fr
    assert factories.registry_snapshot() == before and not ImportRun.objects.exists()


def test_a_real_run_imports_all_or_nothing_and_a_second_run_changes_nothing(orgs):
    data = semicolon_cp1252([*GOOD_ROWS, DUPLICATE])
    report = run(orgs, data, dry_run=False)
    assert report["counts"]["create"] == 5
    imported = Intervention.objects.filter(organisation=orgs["benkadi"])
    assert imported.count() == 5
    markala = imported.get(title="Écoute VBG Markala")
    assert (markala.women_targeted, markala.women_reached, markala.status) == (1200, 85, "ongoing")
    assert str(markala.start_date) == "2025-04-03" and markala.validation_state == "draft"
    assert list(markala.zones.get().picked_units.values_list("pcode", flat=True)) == ["ML040216"]
    assert sorted(imported.get(title="Caravane Bamako").themes.values_list("code", flat=True)) == [
        "acces-justice", "vbg"]
    leadership = imported.get(title="Leadership Bafoulabé")
    assert (str(leadership.start_date), str(leadership.end_date)) == ("2025-01-01", "2026-12-31")
    assert leadership.zones.get().picked_units.get().name == "Bafoulabe"
    recorded = ImportRun.objects.get()
    assert recorded.sha256 == hashlib.sha256(data).hexdigest() and recorded.created == 5
    event = Intervention.pgh_event_models["insert"].objects.filter(id=markala.id).first()
    assert event.pgh_context.metadata["import_sha256"] == recorded.sha256

    snapshot = factories.registry_snapshot()
    again = run(orgs, data, dry_run=False)
    assert again["counts"] == {"rows": 6, "errors": 0, "create": 0, "update": 0, "unchanged": 5}
    assert factories.registry_snapshot() == snapshot


def test_a_changed_row_with_an_identifier_updates_its_intervention(orgs):
    header = ["ID", "Organisation", "Titre", "Thème", "Cercle", "Commune", "Femmes ciblées"]
    first = run(orgs, xlsx(header, [["A-1", "AB", "Atelier", "vbg", "Ségou", "Markala", "10"]]), dry_run=False,
                filename="suivi.xlsx")
    intervention_id = first["rows"][0]["intervention"]
    second = run(orgs, xlsx(header, [["A-1", "AB", "Atelier", "vbg", "Ségou", "Dioro", "12"]]), dry_run=False,
                 filename="suivi.xlsx")
    assert second["counts"]["update"] == 1 and second["rows"][0]["intervention"] == intervention_id
    updated = Intervention.objects.get(pk=intervention_id)
    assert updated.women_targeted == 12
    assert list(updated.zones.get().picked_units.values_list("pcode", flat=True)) == ["ML040207"]


def test_editors_import_only_for_their_organisation_and_coordinators_for_members(orgs):
    data = semicolon_cp1252(GOOD_ROWS[:1])
    refused = run(orgs, data, who="other_editor")
    assert refused["rows"][0]["problems"][0]["code"] == "organisation_not_allowed"
    with pytest.raises(DomainError):
        run(orgs, data, who="other_editor", dry_run=False)
    report = run(orgs, data, who="coordinator", dry_run=False)
    created = Intervention.objects.get(pk=report["rows"][0]["intervention"])
    assert created.organisation == orgs["benkadi"] and created.declared_by_network == orgs["network"]
    visitor = factories.user()
    with pytest.raises(DomainError) as no_role:
        import_file(audience=audience_for(visitor), data=data, filename="x.csv")
    assert no_role.value.status_code == 403


def test_a_confirmed_mapping_is_saved_for_the_organisation(orgs):
    header = ["Structure porteuse", "Quoi", "Où (commune)", "Où (cercle)"]
    data = xlsx(header, [["Association Bènkadi", "vbg", "Markala", "Ségou"]])
    with pytest.raises(DomainError) as incomplete:
        run(orgs, data, filename="a.xlsx")
    assert incomplete.value.code == "mapping_incomplete"
    assert incomplete.value.details["columns"] == header
    mapping = {"organisation": "Structure porteuse", "themes": "Quoi", "commune": "Où (commune)",
               "cercle": "Où (cercle)"}
    run(orgs, data, filename="a.xlsx", mapping=mapping, dry_run=False)
    assert ColumnMapping.objects.get(organisation=orgs["benkadi"]).mapping == mapping
    next_time = run(orgs, data, filename="b.xlsx")
    assert next_time["mapping_source"] == "saved" and next_time["counts"]["unchanged"] == 1


def test_coordinates_and_wkt_make_drawn_zones(orgs):
    header = ["Organisation", "Titre", "Thème", "Latitude", "Longitude", "Rayon (km)", "Zone"]
    rows = [["AB", "Autour de Ségou", "vbg", "13,45", "-6,26", "3", ""],
            ["AB", "Carré", "vbg", "", "", "", "POLYGON((-6.3 13.4,-6.2 13.4,-6.2 13.5,-6.3 13.5,-6.3 13.4))"]]
    report = run(orgs, xlsx(header, rows), filename="gps.xlsx", dry_run=False)
    assert report["counts"]["create"] == 2
    circle = Intervention.objects.get(title="Autour de Ségou").zones.get()
    assert circle.method == "drawn" and 25 < circle.area_km2 < 30  # pi * 3²


def test_the_command_dry_run_reports_and_writes_nothing(orgs, tmp_path):
    path = tmp_path / "3W.csv"
    path.write_bytes(semicolon_cp1252([*GOOD_ROWS, UNKNOWN_ORGANISATION]))
    factories.user(superuser=True)
    before = factories.registry_snapshot()
    out = io.StringIO()
    call_command("import_interventions", str(path), "--dry-run", stdout=out)
    assert "created 5" in out.getvalue() and "organisation_unknown" in out.getvalue()
    assert factories.registry_snapshot() == before
    with pytest.raises(CommandError, match="import_has_errors"):
        call_command("import_interventions", str(path), stdout=io.StringIO())
    assert factories.registry_snapshot() == before


def test_kobo_export_with_groups_multiple_choices_and_a_gender_marker(orgs):
    header = ["start", "identification/organisation", "activite/titre", "activite/themes", "lieu/cercle",
              "lieu/commune", "activite/marqueur_genre", "_id", "_uuid", "_submission_time"]
    rows = [["2025-03-01", "Association Bènkadi", "Causeries", "vbg acces-justice", "segou", "markala", "2", "7",
             "uuid-1", "2025-03-01T10:00:00"]]
    report = run(orgs, xlsx(header, rows), filename="kobo.xlsx", dry_run=False)  # columns recognised
    assert report["format"] == "kobo" and report["counts"]["create"] == 1
    assert report["mapping"] == {"organisation": "organisation", "title": "titre", "themes": "themes",
                                 "cercle": "cercle", "commune": "commune", "gender_marker": "marqueur_genre",
                                 "external_id": "_uuid"}
    created = Intervention.objects.get(title="Causeries")
    assert sorted(created.themes.values_list("code", flat=True)) == ["acces-justice", "vbg"]
    assert created.gender_marker == 2
    assert ImportedIntervention.objects.get(intervention=created).source_key == "id:uuid-1"


def test_a_pending_organisation_of_others_is_neither_matched_nor_suggested(orgs):
    factories.organisation("Association Cachée", status="pending")
    header = ["Organisation", "Thème", "Cercle", "Commune"]
    report = run(orgs, xlsx(header, [["Association Cachée", "vbg", "Ségou", "Markala"]]), filename="a.xlsx")
    problem = report["rows"][0]["problems"][0]
    assert problem["code"] == "organisation_unknown"
    assert "Association Cachée" not in [c["name"] for c in problem.get("candidates", [])]
