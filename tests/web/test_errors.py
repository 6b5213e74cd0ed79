"""One error shape: the API answers {"code", "message": {"fr", "en"}} for 404, 413 and 500 too; the site answers
its own translated pages."""
import json

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def assert_api_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert set(body["message"]) == {"fr", "en"} and all(body["message"].values())


def test_a_json_body_over_the_size_limit_gets_413_in_the_error_shape(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = factories.api_client(factories.user())
    body = {"title": "x" * 20_000}
    assert_api_error(client.post("/api/v1/interventions/", body, format="json"), 413, "body_too_large")
    assert_api_error(Client().post("/api/v1/auth/token/", json.dumps(body), content_type="application/json"),
                     413, "body_too_large")


def test_a_form_over_the_size_limit_gets_the_sites_413_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/comptes/connexion/", {"username": "x" * 20_000, "password": "y"})
    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="fr">' in page and "Envoi trop volumineux" in page


def test_a_multipart_field_over_the_size_limit_gets_413_too(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = factories.api_client(factories.user())
    # Multipart: files do not count, so this is Django's own check on the fields, met while parsing.
    response = client.post("/api/v1/interventions/", {"title": "x" * 20_000}, format="multipart")
    assert_api_error(response, 413, "body_too_large")


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/areas/x/y/z/", "/api/nope"])
def test_unknown_api_paths_get_404_in_the_error_shape(client, path):
    assert_api_error(client.get(path), 404, "not_found")


def test_unknown_site_paths_get_the_translated_404_page(client):
    french = client.get("/cette-page-n-existe-pas/")
    assert french.status_code == 404 and "Page introuvable" in french.content.decode()
    assert '<html lang="fr">' in french.content.decode()
    english = client.get("/en/no-such-page/")
    assert english.status_code == 404 and "This address matches no page" in english.content.decode()


def test_a_crash_in_the_api_gets_500_in_the_error_shape(monkeypatch):
    from geo_backend.regions import api_views

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api_views.LocalitySearchView, "get", crash)
    response = Client(raise_request_exception=False).get("/api/v1/localities/?q=segou")
    assert_api_error(response, 500, "server_error")


def test_a_crash_on_the_site_gets_the_translated_500_page(monkeypatch):
    from geo_backend.web.views import pages

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pages, "render", crash)
    response = Client(raise_request_exception=False).get("/a-propos/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Erreur du serveur" in response.content.decode()
