"""A schema-driven fuzzer (schemathesis) runs against the OpenAPI schema, in-process through the WSGI application
on the test database, anonymous and signed in as an editor (writes included): no 5xx, and every response is one
the schema describes (status and body).

A bounded, derandomized pass (10 examples per operation, positive and negative) runs with the suite, so it is
deterministic; `make bench` runs the long pass (bench/workloads/fuzz.py sets MUSOYA_FUZZ_EXAMPLES)."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from tests import factories

EXAMPLES = int(os.environ.get("MUSOYA_FUZZ_EXAMPLES", "10"))
# The long run (bench) adds schemathesis's coverage phase: boundary values of every parameter, thousands of
# requests; the bounded pass keeps its explicit examples and fuzzing (positive and negative data).
LONG_RUN = "MUSOYA_FUZZ_EXAMPLES" in os.environ
# Not content_type_conformance yet: an address outside the URL patterns (/api/v1/zones/null/) is answered by
# Django's HTML 404 page, until the API's own 404 handler gives it the error shape.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                         suppress_health_check=list(HealthCheck), print_blob=True)

# The WSGI transport does not decode gzip (which GZipMiddleware applies to larger answers).
PLAIN = {"Accept-Encoding": "identity"}

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Requests go through the WSGI handler, whose request_finished signal would close the database connection
    (and with it the test's transaction); Django's own test client unhooks that signal the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(mali) -> str:
    """A token for the editor of an organisation (ids in generated paths are random: mostly 404s, and the writes
    that reach a service are refused or done inside the test's transaction)."""
    from knox.models import AuthToken

    editor = factories.user()
    factories.organisation(editor=editor)
    return AuthToken.objects.create(user=editor)[1]


def api_schema():
    """The schema as the site serves it (building it touches no database)."""
    from geo_backend.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/", application, headers={"Accept": "application/json"})


schema = api_schema()
schema.config.phases.coverage.enabled = LONG_RUN
schema.config.seed = 20240612  # with derandomize: the same cases on every run


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_requests_conform_to_the_schema(case, mali):
    case.call_and_validate(headers=PLAIN, checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_signed_in_requests_conform_to_the_schema(case, editor_token):
    case.call_and_validate(headers={**PLAIN, "Authorization": f"Token {editor_token}"}, checks=CHECKS)
