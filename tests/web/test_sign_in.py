"""Password guessing is limited on every sign-in path: the site, the admin and the API token endpoint share one
counter per account (whatever its spelling) and address, and concurrent tries cannot pass the limit."""
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.conftest import apps_but_the_reference_data

PASSWORD = "pw-test-1234"
SITE_LOGIN = "/comptes/connexion/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    """The per-address throttles are tested on their own below; here they must not be what refuses."""
    cache.clear()
    settings.LOGIN_MAX_FAILURES = 5
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"writes": "1000/minute", "sign_in": "1000/minute"}}
    yield
    cache.clear()


def sign_in(client, path, username, password):
    if path == TOKEN:
        return client.post(path, {"username": username, "password": password}, content_type="application/json")
    return client.post(path, {"username": username, "password": password})


def signed_in(client, path, response) -> bool:
    if path == TOKEN:
        return response.status_code == 200 and "token" in response.json()
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("path", [SITE_LOGIN, ADMIN_LOGIN, TOKEN])
def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, path):
    factories.user("amina", superuser=True)
    for _ in range(30):
        sign_in(client, path, "amina", "wrong")
    response = sign_in(client, path, "amina", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client, path, response)


@pytest.mark.django_db
def test_the_api_answers_a_lockout_in_the_error_shape(client):
    factories.user("amina")
    for _ in range(5):
        sign_in(client, TOKEN, "amina", "wrong")
    body = sign_in(client, TOKEN, "amina", PASSWORD).json()
    assert body["code"] == "locked_out" and set(body["message"]) == {"fr", "en"}


@pytest.mark.django_db
def test_the_site_shows_the_lockout_in_french_and_the_limit_counts_every_evaluated_try(client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    factories.user("amina")
    for _ in range(2):
        assert sign_in(client, SITE_LOGIN, "amina", "wrong").status_code == 200
    third = sign_in(client, SITE_LOGIN, "amina", "wrong")  # the last one evaluated: its answer says so
    assert third.status_code == 429 and "Trop de tentatives" in third.content.decode()
    blocked = sign_in(client, SITE_LOGIN, "amina", PASSWORD)
    assert blocked.status_code == 429 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_on_one_path_count_on_the_others(client):
    factories.user("amina", superuser=True)
    for path in (SITE_LOGIN, ADMIN_LOGIN, TOKEN, SITE_LOGIN, ADMIN_LOGIN):
        sign_in(client, path, "amina", "wrong")
    assert sign_in(client, TOKEN, "amina", PASSWORD).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["ａｍｉｎａ", "AMINA", "Ａmina"])
def test_another_spelling_of_the_username_shares_the_counter(client, spelling):
    factories.user("amina")
    for _ in range(5):
        sign_in(client, SITE_LOGIN, "amina", "wrong")
    response = sign_in(client, SITE_LOGIN, spelling, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_fullwidth_username_signs_in_to_the_account_on_the_api_too(client):
    factories.user("amina")
    assert sign_in(client, TOKEN, "ａｍｉｎａ", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_a_success_resets_the_counter(client):
    factories.user("amina")
    for _ in range(4):
        sign_in(client, SITE_LOGIN, "amina", "wrong")
    assert sign_in(client, SITE_LOGIN, "amina", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, SITE_LOGIN, "amina", "wrong").status_code == 200


@pytest.mark.django_db
def test_usernames_are_stored_in_their_nfkc_form_however_the_account_is_created():
    assert User.objects.create(username="ｆａｔｏｕｍａｔａ").username == "fatoumata"
    assert User.objects.create_user("ｋａｄｉ", password=PASSWORD).username == "kadi"


# The flush after a transactional test is limited to these apps, so the reference data and the taxonomy loaded once
# for the session stay for the tests that run after it (tests/zones/test_concurrency.py reads them).
@pytest.mark.django_db(transaction=True, available_apps=apps_but_the_reference_data())
@pytest.mark.parametrize("path", [SITE_LOGIN, TOKEN])
def test_concurrent_wrong_tries_evaluate_at_most_the_limit(monkeypatch, path):
    User.objects.create_user("amina", password=PASSWORD)
    evaluated = []
    check_password = AbstractBaseUser.check_password

    def counting_check_password(self, raw_password):
        evaluated.append(raw_password)
        return check_password(self, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", counting_check_password)
    start = threading.Barrier(20)
    statuses = []

    def attempt(number):
        try:
            start.wait()
            statuses.append(sign_in(Client(), path, "amina", f"wrong-{number}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 20
    assert len(evaluated) <= 5, f"{len(evaluated)} passwords evaluated against a limit of 5"
    assert statuses.count(429) >= 15


# --- Tokens ----------------------------------------------------------------------------------------------------

def token_of(client, username="amina"):
    response = sign_in(client, TOKEN, username, PASSWORD)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(client, token):
    """A signed-in-only request: 401 without a valid token."""
    return client.post("/api/v1/zones/preview/", {}, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Token {token}").status_code


@pytest.mark.django_db
def test_a_token_expires(client):
    from knox.models import AuthToken

    factories.user("amina")
    token = token_of(client)
    assert me(client, token) != 401
    body = sign_in(client, TOKEN, "amina", PASSWORD).json()
    assert timezone.now() < timezone.datetime.fromisoformat(body["expiry"]) <= timezone.now() + timedelta(hours=10)
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert me(client, body["token"]) == 401


@pytest.mark.django_db
def test_signing_in_again_replaces_the_previous_token(client):
    factories.user("amina")
    first = token_of(client)
    second = token_of(client)
    assert first != second
    assert me(client, first) == 401
    assert me(client, second) != 401


@pytest.mark.django_db
def test_a_token_can_be_revoked(client):
    factories.user("amina")
    token = token_of(client)
    assert client.delete(TOKEN, HTTP_AUTHORIZATION=f"Token {token}").status_code == 204
    assert me(client, token) == 401
    refused = client.delete(TOKEN)
    assert refused.status_code == 401 and set(refused.json()["message"]) == {"fr", "en"}


# --- API throttles ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_token_endpoint_is_throttled_per_address(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"writes": "1000/minute", "sign_in": "3/minute"}}
    for number in range(3):  # different accounts: the lockout is not what refuses
        assert sign_in(client, TOKEN, f"nobody{number}", "wrong").status_code == 400
    refused = sign_in(client, TOKEN, "nobody9", "wrong")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"


@pytest.mark.django_db
def test_writes_are_throttled_per_person_and_reads_are_not(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"writes": "2/minute", "sign_in": "1000/minute"}}
    person = factories.user()
    client = factories.api_client(person)
    for _ in range(2):
        assert client.post("/api/v1/zones/preview/", {}, format="json").status_code != 429
    refused = client.post("/api/v1/zones/preview/", {}, format="json")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    for _ in range(5):
        assert client.get("/api/v1/organisations/").status_code == 200
    assert factories.api_client(factories.user()).post("/api/v1/zones/preview/", {}, format="json").status_code != 429
