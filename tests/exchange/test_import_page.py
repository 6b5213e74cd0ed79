"""The import page: upload → preview → confirm, for an organisation's editor; the mapping form for odd columns."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from geo_backend.exchange.models import ColumnMapping, ImportRun
from geo_backend.zones.models import Intervention
from tests import factories

from .messy import GOOD_ROWS, UNKNOWN_ORGANISATION, semicolon_cp1252, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Files waiting for confirmation go to a temporary folder, not the project's var/media."""
    settings.MEDIA_ROOT = tmp_path


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_upload_preview_confirm(orgs):
    client = signed_in(orgs["people"]["editor"])
    page = client.get("/espace/import/")
    assert page.status_code == 200 and "Importer des interventions" in page.content.decode()
    before = factories.registry_snapshot()
    preview = client.post("/espace/import/", {"step": "preview", "file": SimpleUploadedFile(
        "3W.csv", semicolon_cp1252(GOOD_ROWS[:2]))})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Confirmer l'import" in html and "ML040216" in html
    assert '<option value="Commune" selected>' in html  # the recognised columns, to change if wrong
    assert factories.registry_snapshot() == before
    sha = preview.context["sha"]
    done = client.post("/espace/import/", {"step": "confirm", "sha": sha}, follow=True)
    assert "Import terminé : 2 créée(s)" in done.content.decode()
    assert Intervention.objects.filter(organisation=orgs["benkadi"]).count() == 2
    assert ImportRun.objects.get().sha256 == sha


def test_a_file_with_errors_cannot_be_confirmed(orgs):
    client = signed_in(orgs["people"]["editor"])
    preview = client.post("/espace/import/", {"file": SimpleUploadedFile(
        "3W.csv", semicolon_cp1252([GOOD_ROWS[0], UNKNOWN_ORGANISATION]))})
    html = preview.content.decode()
    assert "Confirmer l'import" not in html and "Association Fantôme de Test" in html
    before = factories.registry_snapshot()
    refused = client.post("/espace/import/", {"step": "confirm", "sha": preview.context["sha"]})
    assert refused.status_code == 200 and factories.registry_snapshot() == before


def test_unknown_columns_ask_for_a_mapping_then_remember_it(orgs):
    client = signed_in(orgs["people"]["editor"])
    data = xlsx(["Structure porteuse", "Quoi", "Où (commune)", "Où (cercle)"],
                [["Association Bènkadi", "vbg", "Markala", "Ségou"]])
    asked = client.post("/espace/import/", {"file": SimpleUploadedFile("a.xlsx", data)})
    assert asked.templates[0].name == "exchange/import_mapping.html"
    sha = asked.context["sha"]
    mapped = {"map_organisation": "Structure porteuse", "map_themes": "Quoi", "map_commune": "Où (commune)",
              "map_cercle": "Où (cercle)"}
    preview = client.post("/espace/import/", {"sha": sha, **mapped})
    assert "Confirmer l'import" in preview.content.decode()
    client.post("/espace/import/", {"step": "confirm", "sha": sha, "mapping": preview.context["mapping_json"]})
    assert ColumnMapping.objects.get(organisation=orgs["benkadi"]).mapping["themes"] == "Quoi"


def test_someone_elses_upload_cannot_be_confirmed(orgs):
    preview = signed_in(orgs["people"]["editor"]).post("/espace/import/", {"file": SimpleUploadedFile(
        "3W.csv", semicolon_cp1252(GOOD_ROWS[:1]))})
    other = signed_in(orgs["people"]["coordinator"])
    response = other.post("/espace/import/", {"step": "confirm", "sha": preview.context["sha"]})
    assert response.status_code == 302 and not Intervention.objects.exists()


def test_people_without_an_organisation_have_no_import_page(orgs):
    assert signed_in(factories.user()).get("/espace/import/").status_code == 404
    assert Client().get("/espace/import/").status_code == 302  # to the sign-in page


def test_files_previewed_long_ago_and_never_confirmed_are_forgotten(orgs, tmp_path):
    import os
    import time

    old = tmp_path / "imports" / "pending" / ("0" * 64)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    signed_in(orgs["people"]["editor"]).post("/espace/import/", {"file": SimpleUploadedFile(
        "3W.csv", semicolon_cp1252(GOOD_ROWS[:1]))})
    assert not old.exists()
    assert len(list(old.parent.iterdir())) == 1  # the new upload waits for its confirmation
