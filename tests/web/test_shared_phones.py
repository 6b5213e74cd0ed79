"""Shared phones, on the server's side: answers made for a signed-in person are marked private (the service worker
keeps them apart and drops them at sign-in and sign-out), sign-out clears the browser's cache, and an offline edit is
refused when sent under another account than the one that made it."""
import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_answers_for_a_signed_in_person_are_private_and_public_ones_are_not(client):
    visitor = client.get("/organisations/")
    assert "private" not in visitor.get("Cache-Control", "")
    client.force_login(factories.user())
    for path in ("/organisations/", "/espace/", "/api/v1/interventions/", "/hors-ligne/"):
        assert "private" in client.get(path)["Cache-Control"], path


def test_signing_out_clears_the_browsers_cache(client):
    client.force_login(factories.user())
    response = client.post("/comptes/deconnexion/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert "_auth_user_id" not in client.session


def test_pages_say_whose_they_are(client):
    assert '<meta name="musoya-account" content="">' in client.get("/").content.decode()
    person = factories.user()
    client.force_login(person)
    assert f'<meta name="musoya-account" content="{person.pk}">' in client.get("/").content.decode()


def test_the_service_worker_knows_where_people_sign_in_and_out(client):
    body = client.get("/sw.js").content.decode()
    paths = json.loads(body.split("var SIGN_IN_AND_OUT = ", 1)[1].split(";\n", 1)[0])
    assert {"/comptes/connexion/", "/comptes/deconnexion/", "/en/comptes/deconnexion/", "/admin/logout/"} <= set(paths)
    assert "musoya-private" in body and "Cache-Control" in body


def test_an_edit_queued_under_one_account_is_refused_under_another(client):
    editor, other = factories.user(), factories.user()
    organisation = factories.organisation(editor=editor)
    factories.organisation(editor=other)
    client.force_login(other)
    body = {"organisation": organisation.id, "title": "Faite hors ligne", "themes": ["vbg"]}
    refused = client.post("/api/v1/interventions/", body, content_type="application/json",
                          HTTP_X_MUSOYA_ACCOUNT=str(editor.pk))
    assert refused.status_code == 409 and refused.json()["code"] == "account_mismatch"
    client.logout()
    refused = client.post("/api/v1/interventions/", body, content_type="application/json",
                          HTTP_X_MUSOYA_ACCOUNT=str(editor.pk))
    assert refused.status_code == 409
    client.force_login(editor)
    accepted = client.post("/api/v1/interventions/", body, content_type="application/json",
                           HTTP_X_MUSOYA_ACCOUNT=str(editor.pk))
    assert accepted.status_code != 409
