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


@pytest.mark.django_db
def test_the_slow_query_log_added_on_connect_leaves_the_history_context_wrapper_alone():
    """A connection first opened inside pghistory.context (the history middleware's, at a thread's first request)
    gets the slow-query wrapper while the context's wrapper is on the stack; when the context exits it pops the
    last wrapper. Installed on top, the slow-query wrapper was popped instead, and every later statement on that
    connection failed in pghistory ('_thread._local' object has no attribute 'value')."""
    import pghistory

    from geo_backend.common.apps import _install_slow_query_log

    saved = list(connection.execute_wrappers)
    connection.execute_wrappers[:] = [w for w in saved if not getattr(w, "musoya_slow_query_log", False)]
    try:
        with pghistory.context(step="first request of a thread"):
            _install_slow_query_log(sender=None, connection=connection)  # as connection_created does
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert [getattr(w, "musoya_slow_query_log", False) for w in connection.execute_wrappers] == [True]
    finally:
        connection.execute_wrappers[:] = saved
