"""The slow-query log and pghistory's context both wrap database statements. The slow-query wrapper is added when a
connection opens; if that happens inside a pghistory.context (the first statement of a POST on a fresh thread),
pghistory's exit must still remove its own wrapper, or every later statement of the thread fails."""
import pghistory
import pytest
from django.db import connection

from geo_backend.common.apps import _install_slow_query_log

pytestmark = pytest.mark.django_db


def is_slow_log(wrapper) -> bool:
    return getattr(wrapper, "musoya_slow_query_log", False)


def test_a_connection_opened_inside_a_history_context_keeps_working_after_it():
    saved = list(connection.execute_wrappers)
    connection.execute_wrappers[:] = [w for w in saved if not is_slow_log(w)]
    try:
        with pghistory.context(source="test"):
            _install_slow_query_log(sender=None, connection=connection)  # what connection_created does here
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # raised AttributeError ('_thread._local' … 'value') before the fix
            assert cursor.fetchone() == (1,)
        assert [w for w in connection.execute_wrappers if is_slow_log(w)]
        assert len(connection.execute_wrappers) == len([w for w in saved if not is_slow_log(w)]) + 1
    finally:
        connection.execute_wrappers[:] = saved
