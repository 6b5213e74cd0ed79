"""A thread whose first statement runs inside pghistory.context() (a gunicorn thread whose first request is a
sign-in) must leave no history wrapper behind once the context exits."""
import threading

import pghistory
import pytest
from django.contrib.auth.models import User
from django.db import connection

from tests.conftest import apps_but_the_reference_data


# The flush after it is limited to these apps: the session's reference data stays (see tests/web/test_sign_in.py).
@pytest.mark.django_db(transaction=True, available_apps=apps_but_the_reference_data())
def test_a_connection_first_used_inside_a_history_context_is_clean_after_it():
    person = User.objects.create_user("wrapper-order")
    outcome = {}

    def first_request_of_a_thread():  # a new thread: a new connection object, no wrapper installed yet
        try:
            with pghistory.context(url="/comptes/connexion/"):
                User.objects.filter(pk=person.pk).update(first_name="A")  # opens the connection
            outcome["left"] = [getattr(w, "__name__", "") for w in connection.execute_wrappers]
            # Outside any context (a session saved after the middleware), writes must still work.
            User.objects.filter(pk=person.pk).update(first_name="B")
        except Exception as error:  # reported to the test below
            outcome["error"] = repr(error)
        finally:
            connection.close()

    thread = threading.Thread(target=first_request_of_a_thread)
    thread.start()
    thread.join(timeout=60)
    assert "error" not in outcome, outcome["error"]
    assert "_inject_history_context" not in outcome["left"]
    assert User.objects.get(pk=person.pk).first_name == "B"
