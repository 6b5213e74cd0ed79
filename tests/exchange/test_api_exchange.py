"""The exchange API: imports, exports in every format with the API's visibility, the round trip, vocabularies."""
import csv
import io

import pyogrio
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from etl.hxl import is_dictionary_tag
from etl.tables import MAX_BYTES
from geo_backend.exchange.models import ImportRun
from geo_backend.zones.models import Intervention
from tests import factories

from .messy import GOOD_ROWS, semicolon_cp1252

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

SEGOU_SQUARE = factories.SEGOU_SQUARE


def read_csv(body: bytes) -> tuple[list, list, list[list]]:
    assert body.startswith("\ufeff".encode())
    header, tags, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return header, tags, rows


@pytest.fixture
def published(orgs):
    """A's public, coarse and restricted validated interventions and a draft."""
    org = orgs["benkadi"]
    return {
        "public": factories.intervention_in_units(org, units=("ML040216", "ML040207"), title="Publique"),
        "coarse": factories.intervention(org, sensitivity="coarse", title="Approximative"),
        "restricted": factories.intervention_in_units(org, sensitivity="restricted", title="Restreinte"),
        "draft": factories.intervention_in_units(org, state="draft", title="Brouillon"),
    }


def test_import_by_upload_dry_run_then_real(orgs):
    api = factories.api_client(orgs["people"]["editor"])
    data = semicolon_cp1252(GOOD_ROWS[:2])
    before = factories.registry_snapshot()
    dry = api.post("/api/v1/imports/", {"file": SimpleUploadedFile("3W.csv", data)}, format="multipart")
    assert dry.status_code == 200, dry.content[:300]
    assert dry.json()["counts"]["create"] == 2 and factories.registry_snapshot() == before
    real = api.post("/api/v1/imports/", {"file": SimpleUploadedFile("3W.csv", data), "dry_run": "false"},
                    format="multipart")
    assert real.status_code == 201 and ImportRun.objects.get().created == 2
    listed = api.get("/api/v1/imports/").json()
    assert listed["count"] == 1 and listed["results"][0]["sha256"] == real.json()["sha256"]
    assert factories.api_client(orgs["people"]["other_editor"]).get("/api/v1/imports/").json()["count"] == 0


def test_import_api_refusals(orgs):
    api = factories.api_client(orgs["people"]["editor"])
    assert factories.api_client().get("/api/v1/imports/").status_code == 401
    assert api.get("/api/v1/imports/", {"limt": 5}).json()["code"] == "unknown_parameter"
    too_large = api.post("/api/v1/imports/", {"file": SimpleUploadedFile("a.csv", b"x" * (MAX_BYTES + 1))},
                         format="multipart")
    assert too_large.status_code == 413 and set(too_large.json()["message"]) == {"fr", "en"}
    too_large_json = api.post("/api/v1/imports/", {"content": "x" * (MAX_BYTES + 1)}, format="json")
    assert too_large_json.status_code == 413 and too_large_json.json()["code"] == "file_too_large"
    missing = api.post("/api/v1/imports/", {"dry_run": True}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "file_required"
    bad_mapping = api.post("/api/v1/imports/", {"content": "a;b\n1;2\n", "mapping": "{oops"}, format="json")
    assert bad_mapping.status_code == 400
    errors = api.post("/api/v1/imports/", {"content": "Organisation;Commune;Thème\nInconnue;Markala;vbg\n",
                                           "dry_run": False}, format="json")
    assert errors.status_code == 400 and errors.json()["code"] == "import_has_errors"
    assert errors.json()["details"]["rows"][0]["problems"][0]["code"] == "organisation_unknown"


def test_csv_export_is_3w_with_dictionary_hashtags_and_the_api_visibility(published):
    visitor = factories.api_client().get("/api/v1/exports/interventions/", {"format": "csv"})
    assert visitor.status_code == 200 and visitor["Content-Type"].startswith("text/csv")
    header, tags, rows = read_csv(visitor.content)
    assert all(is_dictionary_tag(tag) for tag in tags if tag)
    assert {"#org+name", "#adm1+code", "#adm2+code", "#adm3+code", "#date+start", "#sector+code"} <= set(tags)
    titles = {row[header.index("Intitulé")] for row in rows}
    assert titles == {"Publique", "Approximative"}  # restricted and draft are not the public's
    public_rows = [row for row in rows if row[header.index("Intitulé")] == "Publique"]
    assert sorted(row[header.index("P-code commune")] for row in public_rows) == ["ML040207", "ML040216"]
    assert {row[header.index("P-code cercle")] for row in public_rows} == {"ML0402"}
    admin = factories.api_client(factories.user(superuser=True)).get("/api/v1/exports/interventions/")
    assert {r[4] for r in read_csv(admin.content)[2]} == {"Publique", "Approximative", "Restreinte", "Brouillon"}


def test_geo_exports_show_coarse_zones_as_communes_and_open_in_gdal(published, tmp_path):
    visitor = factories.api_client()
    geojson = visitor.get("/api/v1/exports/interventions/", {"format": "geojson"}).json()
    by_title = {f["properties"]["title"]: f for f in geojson["features"]}
    assert set(by_title) == {"Publique", "Approximative"}
    assert by_title["Approximative"]["properties"]["precision"] == "communes"
    assert by_title["Approximative"]["properties"]["area_km2"] is None
    for output, suffix in (("gpkg", ".gpkg"), ("shp", ".zip"), ("kml", ".kml")):
        response = visitor.get("/api/v1/exports/interventions/", {"format": output})
        assert response.status_code == 200, response.content[:300]
        path = tmp_path / f"zones{suffix}"
        path.write_bytes(response.content)
        frame = pyogrio.read_dataframe(path)
        assert len(frame) == 2, output
        assert set(frame["title"] if "title" in frame else frame["Name"]) >= {"Publique"} or output == "kml"
    xlsx = visitor.get("/api/v1/exports/interventions/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[1] == "#org+name"


def test_exports_refuse_unknown_parameters(published):
    response = factories.api_client().get("/api/v1/exports/interventions/", {"format": "csv", "colour": "red"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_parameter"
    assert factories.api_client().get("/api/v1/exports/interventions/", {"format": "pdf"}).status_code == 400


def test_round_trip_export_then_import_gives_the_same_interventions(orgs, published):
    editor = factories.api_client(orgs["people"]["editor"])
    exported = editor.get("/api/v1/exports/interventions/", {"format": "csv", "organisation": orgs["benkadi"].id})
    expected = {i.title: i for i in Intervention.objects.filter(organisation=orgs["benkadi"])}
    # Imported back where they came from: the same interventions, unchanged, no copies.
    before = factories.registry_snapshot()
    again = editor.post("/api/v1/imports/", {"filename": "export.csv", "content_base64": _b64(exported.content),
                                             "dry_run": False}, format="json")
    assert again.status_code == 200, again.content[:400]
    assert again.json()["counts"]["unchanged"] == len(expected) == 4
    assert factories.registry_snapshot() == before
    workbook = editor.get("/api/v1/exports/interventions/", {"format": "xlsx", "organisation": orgs["benkadi"].id})
    from_xlsx = editor.post("/api/v1/imports/", {"filename": "export.xlsx",
                                                 "content_base64": _b64(workbook.content)}, format="json")
    assert from_xlsx.json()["format"] == "xlsx" and from_xlsx.json()["counts"]["unchanged"] == 4
    # Imported into an empty registry: the same interventions again (fields, themes, communes).
    described = {title: _described(i) for title, i in expected.items()}
    Intervention.objects.filter(organisation=orgs["benkadi"]).delete()
    created = editor.post("/api/v1/imports/", {"filename": "export.csv", "content_base64": _b64(exported.content),
                                               "dry_run": False}, format="json")
    assert created.status_code == 201, created.content[:400]
    assert {i.title: _described(i) for i in Intervention.objects.filter(organisation=orgs["benkadi"])} == described


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def _described(intervention: Intervention) -> dict:
    communes = sorted({pcode for zone in intervention.zones.all()
                       for pcode in zone.commune_shares.values_list("commune__pcode", flat=True)})
    return {"themes": sorted(intervention.themes.values_list("code", flat=True)), "status": intervention.status,
            "dates": (intervention.start_date, intervention.end_date), "sensitivity": intervention.sensitivity,
            "women": (intervention.women_targeted, intervention.women_reached), "communes": communes}


def test_vocabularies_as_json_and_hxl_csv(mali):
    api = factories.api_client()
    names = {v["name"] for v in api.get("/api/v1/vocabularies/").json()["results"]}
    assert names == {"themes", "action-kinds", "target-groups", "funders", "organisation-types", "admin-units"}
    themes = api.get("/api/v1/vocabularies/themes/").json()["results"]
    assert {"code": "vbg", "dac_codes": ["15180"]}.items() <= next(t for t in themes if t["code"] == "vbg").items()
    cercles = api.get("/api/v1/vocabularies/admin-units/", {"level": 2}).json()["results"]
    bafoulabe = next(u for u in cercles if u["pcode"] == "ML0102")
    assert bafoulabe["hdx2017"] == "ML0101" and bafoulabe["parent_pcode"] == "ML01"
    header, tags, rows = read_csv(api.get("/api/v1/vocabularies/admin-units/", {"level": 3, "format": "csv"}).content)
    assert tags[:2] == ["#adm3+code", "#adm3+name"] and len(rows) == 701
    assert api.get("/api/v1/vocabularies/nothing/").status_code == 404
    assert api.get("/api/v1/vocabularies/themes/", {"lang": "fr"}).status_code == 400


def test_the_import_template_lists_themes_and_pcodes(mali):
    response = factories.api_client().get("/api/v1/exports/template/")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Interventions", "Thèmes", "Types d'action", "Groupes cibles", "P-codes"]
    assert workbook["Thèmes"].max_row > 10 and workbook["P-codes"].max_row > 700
    header, tags, rows = read_csv(factories.api_client().get("/api/v1/exports/template/", {"format": "csv"}).content)
    assert "Organisation" in header and "#adm3+code" in tags and len(rows) == 1


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    import math

    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y




@pytest.mark.parametrize(("column", "value", "code"), [
    ("Femmes ciblées", "3000000000", "count_invalid"),
    ("Description", "d" * 20_001, "description_too_long"),
], ids=["count beyond the column", "description of megabytes"])
def test_an_import_row_the_columns_cannot_hold_is_an_error_of_its_row_not_a_500(orgs, column, value, code):
    """The dry run said the row was fine, then the real import crashed (a count beyond PostgreSQL's integer)."""
    api = factories.api_client(orgs["people"]["editor"])
    content = f"Titre;Thème;Cercle;Commune;{column}\nTrop grand;vbg;Ségou;Markala;{value}\n"
    before = factories.registry_snapshot()
    for dry_run in (True, False):
        response = api.post("/api/v1/imports/", {"organisation": orgs["benkadi"].id, "dry_run": dry_run,
                                                 "filename": "a.csv", "content": content}, format="json")
        problems = [p["code"] for row in (response.json().get("rows") or response.json()["details"]["rows"])
                    for p in row["problems"]]
        assert response.status_code == (200 if dry_run else 400), response.content[:300]
        assert code in problems
    assert factories.registry_snapshot() == before
