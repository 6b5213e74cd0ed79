"""Server-rendered pages answer, in French by default, and keep non-public data off the public pages."""
import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/organisations/", "/a-propos/", "/comptes/connexion/", "/hors-ligne/",
                                 "/comptes/mot-de-passe/"])
def test_public_pages_answer_in_french(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_signed_in_pages_send_visitors_to_the_sign_in_page(client):
    for url in ("/espace/", "/espace/interventions/nouvelle/", "/espace/validation/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")


def test_manifest_makes_the_site_installable(client):
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["name"] == "Musoya" and manifest["lang"] == "fr" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_served_at_the_root_and_lists_the_app_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    shell = json.loads(body.split("var SHELL = ", 1)[1].split(";\n", 1)[0])
    # Light: what every page needs, not the map's or the dashboard's libraries (kept when a page uses them).
    assert any("app" in path and path.endswith(".js") for path in shell)
    assert not [path for path in shell if "leaflet" in path or "plotly" in path]
    assert '"musoya-keep"' in body
    for path in shell:
        assert client.get(path).status_code == 200, path


def test_directory_search_ignores_accents(client):
    factories.organisation("Association Ségou Solidarité (exemple fictif)")
    for query in ("segou", "Ségou", "SEGOU"):
        assert "Association Ségou Solidarité" in client.get("/organisations/", {"q": query}).content.decode()


def test_profile_shows_only_public_contacts_to_visitors(client):
    from geo_backend.organisations.models import Contact

    organisation = factories.organisation()
    for visibility in ("public", "members", "private"):
        Contact.objects.create(organisation=organisation, kind="email", value=f"{visibility}@example.org",
                               visibility=visibility)
    page = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "public@example.org" in page
    assert "members@example.org" not in page and "private@example.org" not in page


def test_pending_organisations_are_not_listed_publicly(client):
    factories.organisation("Organisation en attente", status="pending")
    factories.organisation("Association Yeelen publiée", status="active")
    response = client.get("/organisations/")
    assert response.status_code == 200
    page = response.content.decode()
    # The directory does list organisations (the active one), just not the pending one.
    assert "Association Yeelen publiée" in page
    assert "Organisation en attente" not in page


def test_sign_in_then_my_space(client):
    person = factories.user("fatoumata")
    organisation = factories.organisation("Association Test Espace", editor=person)
    response = client.post("/comptes/connexion/", {"username": "fatoumata", "password": "pw-test-1234"}, follow=True)
    assert response.redirect_chain[-1][0] == "/espace/"
    assert organisation.name in response.content.decode()
