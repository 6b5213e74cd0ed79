"""Runs the task queue's real worker (procrastinate) until no job is left, inside the test's transaction.

The tasks hand their work to Django's thread-sensitive executor (geo_backend/library/tasks.py); called through
async_to_sync from the test's thread, that executor is the test's thread itself. The worker talks to the
database through Django's connection too (procrastinate's DjangoConnector), so it reads the jobs the test
deferred and the rows the test wrote, uncommitted, and pytest-django rolls everything back afterwards. The real
worker loop, retries and job states run; only the connection is the test's, which is why the worker runs
without procrastinate's Django middleware that closes connections around each job (it would close the test's
connection in the middle of its transaction).
"""
import json

from asgiref.sync import async_to_sync
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.contrib.django.models import ProcrastinateJob


class InTransactionConnector(DjangoConnector):
    """Django hands jsonb columns back as text (its JSONField decodes them itself); the worker expects the
    decoded job arguments, as its own psycopg connector gives them."""

    def _dictfetch(self, cursor):
        for row in super()._dictfetch(cursor):
            if isinstance(row.get("args"), str):
                row["args"] = json.loads(row["args"])
            yield row


def run_jobs() -> None:
    with app.replace_connector(InTransactionConnector()) as worker_app:
        async_to_sync(worker_app.run_worker_async)(queues=["library"], wait=False, install_signal_handlers=False,
                                                   listen_notify=False, delete_jobs="never",
                                                   task_middleware=[])


def jobs(status: str | None = None) -> list[ProcrastinateJob]:
    queryset = ProcrastinateJob.objects.filter(task_name="library.process_document_file")
    return list(queryset.filter(status=status) if status else queryset)
