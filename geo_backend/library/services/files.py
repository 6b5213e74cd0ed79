"""Stored files and the transaction around them: a write that fails leaves no file behind, and a file is only
deleted once the deletion of its row is committed."""
import contextlib
import logging

from django.core.files.storage import default_storage
from django.db import transaction

logger = logging.getLogger("musoya.library")


@contextlib.contextmanager
def files_removed_on_failure():
    """Yields a list; names of files saved into it are deleted from the storage if the block raises.

    Put it outside the transaction (`with files_removed_on_failure() as saved, transaction.atomic():`) so the
    rollback happens first and a failed commit is covered too.
    """
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            storage_delete_quietly(name)
        raise


def storage_save(saved: list[str], name: str, content) -> str:
    """Saves content under name (the storage may alter it to stay unique) and notes it for clean-up."""
    stored = default_storage.save(name, content)
    saved.append(stored)
    return stored


def storage_delete_quietly(name: str) -> None:
    if not name:
        return
    try:
        default_storage.delete(name)
    except OSError:  # already gone, or the store is unreachable: the row is what counts; log for the admin
        logger.warning("could not delete stored file %s", name, exc_info=True)


def delete_after_commit(names: list[str]) -> None:
    """Deletes the stored files once the current transaction commits (never if it rolls back)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage_delete_quietly(name) for name in names])
