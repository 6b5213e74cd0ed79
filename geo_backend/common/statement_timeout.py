"""A time limit on every SQL statement of a web request, so that no request holds a worker and a database backend
for minutes (a zone preview once ran 170 s, and its SQL three minutes more after the person gave up).

PostgreSQL cancels a statement that runs past the limit; the API answers 503 "database_timeout" in the usual error
shape, and the pages a plain 503. The limit depends on the request class (settings.WEB_STATEMENT_TIMEOUT_MS: reads,
writes). Commands never pass through here, so a bulk load or a rebuild is not cut by the web limit.
"""
import contextlib

import psycopg.errors
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse

from .errors import DomainError

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def set_statement_timeout(milliseconds: int) -> None:
    """Limits every later statement of the default connection's database session to `milliseconds` (0: none).

    Set before a request's first statement (see statement_time_limit); each request sets its own, so a limit never
    leaks from one request class to another.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(milliseconds)}ms"])


def timeout_for(method: str) -> int:
    return settings.WEB_STATEMENT_TIMEOUT_MS["read" if method in READ_METHODS else "write"]


def database_refusal(error: BaseException) -> DomainError | None:
    """The domain error for a database error a person can act on (wait and try again), else None."""
    cause = error.__cause__ if isinstance(error, DatabaseError) else None
    if isinstance(cause, psycopg.errors.QueryCanceled):
        return DomainError(
            "database_timeout",
            "Cette demande a pris trop de temps et a été interrompue. Réessayez dans un moment ; si elle porte sur "
            "une zone très détaillée, simplifiez-la d'abord.",
            "This request took too long and was stopped. Try again in a moment; if it is about a very detailed "
            "zone, simplify it first.", status_code=503)
    if isinstance(cause, psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure):
        return DomainError(
            "write_conflict",
            "Une autre modification des mêmes données était en cours : rechargez puis réessayez.",
            "Another change of the same data was under way: reload, then try again.", status_code=409)
    return None


@contextlib.contextmanager
def statement_time_limit(milliseconds: int):
    """Within the block, the default connection's statements run under `milliseconds`. The limit is set just before
    the block's first statement, so a request that touches no database (an asset, the API schema) costs nothing."""
    applied = []

    def apply_first(execute, sql, params, many, context):
        if not applied:
            applied.append(True)
            set_statement_timeout(milliseconds)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(apply_first):
        yield


def read_only_app(wsgi_app):
    """A WSGI application whose statements run under the web read limit (the Dash dashboard, served beside Django).
    Its responses are built before it returns, so the limit covers all of its queries."""
    def bounded(environ, start_response):
        with statement_time_limit(settings.WEB_STATEMENT_TIMEOUT_MS["read"]):
            return wsgi_app(environ, start_response)
    return bounded


class StatementTimeoutMiddleware:
    """Applies the request class's statement time limit to the request (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with statement_time_limit(timeout_for(request.method)):
            return self.get_response(request)

    def process_exception(self, request, exception):
        # The API maps these itself (api/exceptions.py); this is for the pages.
        refusal = database_refusal(exception)
        if refusal is None:
            return None
        return HttpResponse(f"{refusal.message_fr}\n\n{refusal.message_en}\n", status=refusal.status_code,
                            content_type="text/plain; charset=utf-8")
