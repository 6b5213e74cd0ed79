"""The pointer: which version of the default edition's layers a request may take from a worker's memory without
asking the database.

The fast path (layer_middleware) must never serve an older version of the boundaries than the database holds, in
any gunicorn worker, yet cannot afford a database round trip per request (that alone halves its rate). So the
default edition's id and layers token live in a small file that every request reads (a few microseconds; it is
replaced atomically, never rewritten in place). It is read every time rather than trusted while its stat looks the
same: a file removed and written again within the file system's timestamp granularity may reuse the inode. It is
kept true under a PostgreSQL advisory lock:

- a change (a load that draws a new layers token, an edition saved or deleted: the default may move) takes the lock
  exclusively until its transaction ends, removes the pointer, and writes it again from the database once it has
  committed;
- anyone else writes the pointer only while holding the lock shared, from what the database holds at that moment:
  never while a change is under way, so a pointer read from the data before a change cannot appear after it.

Without a pointer (while a load runs, after a change rolled back, or when a process died between its commit and the
write) requests take the Django path, which reads the edition from the database and writes the pointer again
(pointer_ensure).
The file's name carries the database's name: test runs and the bench's size databases do not share a pointer.
"""
import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger("musoya.layers")

# Any constant bigint of our own: the key of the advisory lock that orders pointer writes against edition changes.
POINTER_LOCK_KEY = 0x4D75736F7961  # "Musoya"

_paths: dict[tuple[str, str], Path] = {}


def pointer_path() -> Path:
    # Built once per directory and database (pathlib costs more than the read itself); a test run switches the
    # database name in settings when it creates its test database.
    key = (str(settings.LAYER_STORE_DIR), settings.DATABASES["default"]["NAME"])
    path = _paths.get(key)
    if path is None:
        path = _paths[key] = Path(key[0]) / f"{key[1]}.default-edition"
    return path


def pointer_read() -> tuple[int, str] | None:
    """(id, layers token) of the default edition as the pointer says, or None without a pointer."""
    try:
        descriptor = os.open(pointer_path(), os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        edition_id, token = os.read(descriptor, 256).split()
        return int(edition_id), token.decode()
    except ValueError:
        return None
    finally:
        os.close(descriptor)


def pointer_invalidate() -> None:
    """Called inside the transaction that changes the default edition's token or which edition is the default."""
    with connection.cursor() as cursor:
        # Waits for a writer that read the edition before this change; later writers wait for this transaction.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [POINTER_LOCK_KEY])
    pointer_path().unlink(missing_ok=True)
    transaction.on_commit(pointer_write)


def edition_changed(**kwargs) -> None:
    pointer_invalidate()


def pointer_write() -> None:
    """Writes the pointer from the database, unless a change is under way (its commit writes it) or this runs
    inside a transaction (what it reads might roll back)."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock_shared(%s)", [POINTER_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return
        try:
            cursor.execute("SELECT id, layers_token FROM regions_edition WHERE is_default")
            row = cursor.fetchone()
            path = pointer_path()
            if row is None:
                path.unlink(missing_ok=True)
                return
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                temporary.write_text(f"{row[0]} {row[1]}\n")
                os.replace(temporary, path)  # atomic: a reader sees the old file or the new one
            except OSError as error:  # no pointer: every request takes the Django path, slower but right
                logger.warning("layer pointer not written (%s): the boundary layers go through Django", error)
        finally:
            cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [POINTER_LOCK_KEY])


def pointer_ensure(edition) -> None:
    """After a request the fast path could not answer, with the edition the view read: writes the pointer again if
    there is none or it names another version of the default edition (a database restored under running
    servers, say). pointer_write reads the database again under the lock, so a view that read the edition just
    before a change cannot bring the older token back."""
    if edition.is_default and pointer_read() != (edition.pk, edition.layers_token):
        pointer_write()
