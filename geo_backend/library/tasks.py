"""Jobs of the task queue (procrastinate, jobs stored in PostgreSQL). `make run` starts the worker beside
gunicorn (`manage.py procrastinate worker`); failed jobs are retried with a growing wait, and stay visible in the
admin (Procrastinate › jobs) and on the document's page for its editors.

The task is a coroutine that hands the work to Django's synchronous thread (thread_sensitive): under the
worker that is one dedicated thread; when a test runs a worker through async_to_sync, it is the test's own
thread, so the job sees the test's transaction (see tests/library/jobs.py).
"""
from asgiref.sync import sync_to_async
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from .jobs import PROCESS_DOCUMENT_FILE
from .services import file_processing

MAX_ATTEMPTS = 5
# The first run, then 4 retries after 4 s, 16 s, 64 s and 256 s: time for a full disk or a busy machine to recover.
RETRY = RetryStrategy(max_attempts=MAX_ATTEMPTS - 1, exponential_wait=4)


def _process(file_id: int, attempt: int) -> str:
    # Database connections are opened and closed around each job by procrastinate's Django middleware.
    try:
        return file_processing.document_file_process(file_id)
    except Exception as error:
        file_processing.document_file_failed(file_id, error, final=attempt + 1 >= MAX_ATTEMPTS)
        raise


@app.task(name=PROCESS_DOCUMENT_FILE, queue="library", retry=RETRY, pass_context=True)
async def process_document_file(context, file_id: int) -> str:
    """PDF: text for the search and a first-page thumbnail; audio: the compact Opus copy."""
    return await sync_to_async(_process, thread_sensitive=True)(file_id, context.job.attempts)
