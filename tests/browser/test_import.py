"""An organisation's editor imports a spreadsheet in Debian's Chromium: upload → preview → confirm."""
from .conftest import sign_in

CSV = "Titre;Thème;Cercle;Commune\r\nCauserie importée (navigateur);VBG;Cercle de Ségou;Markalla\r\n".encode("cp1252")


def test_editor_uploads_previews_and_confirms_an_import(page, django_db_blocker):
    from axe_playwright_python.sync_playwright import Axe

    sign_in(page, "demo-editrice")
    page.goto("/espace/")
    page.get_by_role("link", name="Importer un tableau").click()
    page.wait_for_load_state("networkidle")
    options = page.locator("#id_organisation option")
    page.select_option("#id_organisation", options.nth(1).get_attribute("value"))
    page.set_input_files("#id_file", files=[{"name": "suivi.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.get_by_role("button", name="Voir ce qui serait importé").click()
    page.wait_for_load_state("networkidle")
    assert "1 intervention(s) à créer" in page.inner_text("#import-counts")
    assert "ML040216" in page.inner_text("table.import-preview")  # "Markalla" found in its cercle
    serious = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"]) for v in serious]
    page.get_by_role("button", name="Confirmer l'import").click()
    page.wait_for_load_state("networkidle")
    assert "Import terminé : 1 créée(s)" in page.inner_text(".messages")

    from geo_backend.organisations.access import Audience
    from geo_backend.zones import services
    from geo_backend.zones.models import Intervention

    with django_db_blocker.unblock():  # leave the shared browser data as it was
        imported = Intervention.objects.get(title="Causerie importée (navigateur)")
        assert imported.zones.get().picked_units.get().pcode == "ML040216"
        services.intervention_delete(audience=Audience(user_id=imported.created_by_id, is_admin=True),
                                     intervention=imported, expected_version=imported.version)
