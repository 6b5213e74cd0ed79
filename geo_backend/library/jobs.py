"""The door of the library's services to the task queue: they enqueue jobs by the task's name, so that
services never import tasks.py (which imports the services): imports run one way, tasks -> services ->
processing (pure tools) and services -> jobs.

The task is registered when Django starts (procrastinate's Django app discovers every app's tasks.py), so
asking for it by name finds its queue and retry settings; an unknown name raises instead of queueing a job
that no worker would take.
"""
from procrastinate.contrib.django import app

PROCESS_DOCUMENT_FILE = "library.process_document_file"


def enqueue_file_processing(file_id: int) -> None:
    """Queues the slow work on a stored file. Written through Django's connection, inside the caller's
    transaction: the worker sees the job only once the file and its row are committed, never if rolled back."""
    app.configure_task(PROCESS_DOCUMENT_FILE, allow_unknown=False).defer(file_id=file_id)
