"""Every web request runs its SQL under a time limit chosen by its class (reads, writes), and the dashboard under
the read limit (issue 11 item 5). What a person gets when the limit fires: tests/zones/test_zone_writes.py."""
import pytest
from django.db import connection
from django.test import override_settings

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
    api.post("/api/v1/organisations/", {}, format="json")  # refused (visitor): the limit was set all the same
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
