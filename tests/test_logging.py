"""The application logs what an operator needs: refused writes, slow statements, loads; JSON lines on request."""
import json
import logging

import pytest
from django.db import connection

from geo_backend.common.logging import JsonLineFormatter, log_slow_queries


@pytest.mark.django_db
def test_a_refused_write_is_logged_with_its_code(client, caplog):
    with caplog.at_level(logging.INFO, logger="musoya.api"):
        response = client.post("/api/v1/interventions/", {"title": "x"}, content_type="application/json")
    assert response.status_code == 401
    refused = [r for r in caplog.records if r.name == "musoya.api"]
    assert len(refused) == 1
    assert "POST /api/v1/interventions/" in refused[0].getMessage() and "401" in refused[0].getMessage()


@pytest.mark.django_db
def test_statements_slower_than_the_threshold_are_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="musoya.db.slow"), connection.execute_wrapper(log_slow_queries(50)):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.08)")
            cursor.execute("SELECT 1")
    slow = [r for r in caplog.records if r.name == "musoya.db.slow"]
    assert len(slow) == 1 and "pg_sleep" in slow[0].getMessage() and slow[0].duration_ms >= 50


def test_json_lines_carry_the_extra_fields():
    record = logging.makeLogRecord({"name": "musoya.loads", "levelno": logging.INFO, "levelname": "INFO",
                                    "msg": "loaded %s units", "args": (701,), "duration_ms": 12.5})
    entry = json.loads(JsonLineFormatter().format(record))
    assert entry["message"] == "loaded 701 units" and entry["duration_ms"] == 12.5 and entry["logger"] == "musoya.loads"


def test_the_slow_query_log_joins_a_new_connection_without_displacing_a_wrapper_entered_before(settings):
    """pghistory's middleware enters its execute wrapper before the request's first query opens the connection;
    the slow-query wrapper added when the connection opens must not be the one pghistory pops on exit."""
    from geo_backend.common.apps import _install_slow_query_log

    settings.SLOW_QUERY_MS = 500
    saved = list(connection.execute_wrappers)
    connection.execute_wrappers[:] = []  # as on a connection that has just opened

    def entered_before(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(entered_before):
            _install_slow_query_log(sender=None, connection=connection)
            assert connection.execute_wrappers[-1] is entered_before
        assert [getattr(w, "musoya_slow_query_log", False) for w in connection.execute_wrappers] == [True]
    finally:
        connection.execute_wrappers[:] = saved
