"""Every web request runs its SQL under a time limit chosen by its class (reads, writes), and the dashboard under
the read limit (issue 11 item 5). What a person gets when the limit fires: tests/zones/test_zone_writes.py."""
import psycopg.errors
import pytest
from django.db import DatabaseError, OperationalError, connection
from django.test import override_settings

from geo_backend.api.exceptions import exception_handler
from geo_backend.common.statement_timeout import read_only_app
from tests import factories

pytestmark = pytest.mark.django_db
LIMITS = {"read": 12_345, "write": 23_456}


def current_limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        return cursor.fetchone()[0]


@override_settings(WEB_STATEMENT_TIMEOUT_MS=LIMITS)
def test_a_read_request_runs_under_the_read_limit_and_a_write_under_the_write_limit():
    api = factories.api_client()
    api.get("/api/v1/organisations/")
    assert current_limit() == "12345ms"
    api.post("/api/v1/organisations/", {}, format="json")  # refused before any statement: nothing to limit
    assert current_limit() == "12345ms"
    api.post("/api/v1/auth/token/", {"username": "nobody", "password": "wrong"}, format="json")  # queries: a write
    assert current_limit() == "23456ms"
    api.get("/organisations/")  # a page
    assert current_limit() == "12345ms"


@override_settings(WEB_STATEMENT_TIMEOUT_MS=LIMITS)
def test_the_dashboard_runs_under_the_read_limit_even_for_its_post_callbacks():
    seen = []

    def dashboard(environ, start_response):
        seen.append(current_limit())
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    read_only_app(dashboard)({"REQUEST_METHOD": "POST", "PATH_INFO": "/_dash-update-component"}, lambda *a: None)
    assert seen == ["12345ms"]


def database_error(cause: Exception) -> DatabaseError:
    """A database error as Django raises it: its own class, with psycopg's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(("cause", "status", "code"), [
    (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), 503, "database_timeout"),
    (psycopg.errors.DeadlockDetected("deadlock detected"), 409, "write_conflict"),
    (psycopg.errors.SerializationFailure("could not serialize access"), 409, "write_conflict"),
], ids=["timeout", "deadlock", "serialization"])
def test_the_api_answers_a_cancelled_or_conflicting_statement_in_the_one_error_shape(cause, status, code):
    response = exception_handler(database_error(cause), {})
    assert (response.status_code, response.data["code"]) == (status, code)
    assert set(response.data["message"]) == {"fr", "en"}


def test_other_database_errors_are_left_to_the_500_handler():
    assert exception_handler(database_error(psycopg.errors.UndefinedTable("no such table")), {}) is None
