"""The slow work on uploaded files, run by the worker (tasks.py) after the upload has answered:
text and a first-page thumbnail of PDFs, a compact Opus copy of audio recordings.

External tools run as separate processes with a time limit: pdftoppm (Debian's poppler-utils) renders the
thumbnail, so a hostile PDF that crashes the renderer takes down that process only, never the worker; ffmpeg
(Debian's ffmpeg) encodes the audio. Both are installed by scripts/install_system_packages.sh.
"""
import contextlib
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from .models import DocumentFile
from .services.documents import document_search_refresh
from .services.files import delete_after_commit, files_removed_on_failure, storage_save

logger = logging.getLogger("musoya.library")
MAX_TEXT_PAGES = 300
MAX_TEXT_CHARS = 500_000
THUMBNAIL_WIDTH = 360


class ProcessingError(Exception):
    """A tool failed on a file; the job is retried, and the file shows the error to its editors."""


@contextlib.contextmanager
def local_copy(field_file):
    """A path on local disk to a stored file: the file itself on disk storage, a temporary copy otherwise (S3)."""
    try:
        yield Path(field_file.path)
        return
    except NotImplementedError:  # storages without a local path
        pass
    suffix = Path(field_file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=settings.LIBRARY_TOOL_TIMEOUT_SECONDS)
    except FileNotFoundError as error:
        raise ProcessingError(f"{command[0]} is not installed (scripts/install_system_packages.sh)") from error
    except subprocess.TimeoutExpired as error:
        raise ProcessingError(f"{command[0]} took longer than {error.timeout} s") from error
    except subprocess.CalledProcessError as error:
        raise ProcessingError(f"{command[0]} failed: {error.stderr.decode(errors='replace')[-500:]}") from error


def pdf_text(path: Path) -> tuple[str, int]:
    """The text of the first MAX_TEXT_PAGES pages (at most MAX_TEXT_CHARS characters), and the page count."""
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    parts, length = [], 0
    for page in reader.pages[:MAX_TEXT_PAGES]:
        try:
            text = page.extract_text() or ""
        except Exception as error:  # noqa: BLE001 - one unreadable page should not lose the others
            logger.info("page text unreadable in %s: %s", path.name, error)
            continue
        parts.append(text)
        length += len(text)
        if length >= MAX_TEXT_CHARS:
            break
    return " ".join(parts)[:MAX_TEXT_CHARS].replace("\x00", ""), len(reader.pages)


def pdf_thumbnail(path: Path) -> bytes:
    """PNG of the first page, THUMBNAIL_WIDTH pixels wide (pdftoppm)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "thumbnail"
        _run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", str(THUMBNAIL_WIDTH),
              "-scale-to-y", "-1", str(path), str(target)])
        return (Path(folder) / "thumbnail.png").read_bytes()


def audio_compact(path: Path) -> bytes:
    """A mono Opus copy at LIBRARY_OPUS_BITRATE (about 24 kbit/s: 3 MB per quarter hour), in an Ogg file."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "compact.ogg"
        _run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:a:0",
              "-vn", "-ac", "1", "-c:a", "libopus", "-b:a", settings.LIBRARY_OPUS_BITRATE,
              "-application", "voip", str(target)])
        return target.read_bytes()


def _derived_name(document_file: DocumentFile, suffix: str) -> str:
    stem = Path(document_file.original.name).with_suffix("").as_posix()
    return f"{stem}.{suffix}"


def document_file_process(file_id: int) -> str:
    """Does the file's slow work and records the result. Returns what was done (for the job's log)."""
    document_file = DocumentFile.objects.filter(pk=file_id).select_related("document").first()
    if document_file is None:
        return "file deleted before it was processed"
    changes: dict = {}
    with local_copy(document_file.original) as path:
        if document_file.kind == DocumentFile.Kind.PDF:
            text, pages = pdf_text(path)
            changes.update(extracted_text=text, page_count=pages)
            thumbnail = pdf_thumbnail(path)
            new_files = {"thumbnail": (_derived_name(document_file, "thumb.png"), thumbnail)}
        elif document_file.kind == DocumentFile.Kind.AUDIO:
            compact = audio_compact(path)
            changes["compact_size_bytes"] = len(compact)
            new_files = {"compact": (_derived_name(document_file, "compact.ogg"), compact)}
        else:
            new_files = {}
    with files_removed_on_failure() as saved, transaction.atomic():
        locked = DocumentFile.objects.select_for_update().filter(pk=file_id).first()
        if locked is None:
            return "file deleted while it was processed"
        replaced = []
        for field, (name, content) in new_files.items():
            replaced.append(getattr(locked, field).name)
            changes[field] = storage_save(saved, name, ContentFile(content))
        DocumentFile.objects.filter(pk=file_id).update(processing=DocumentFile.Processing.DONE,
                                                       processing_error="", **changes)
        document_search_refresh(locked.document_id)
        delete_after_commit(replaced)  # a second run (retry) replaces the first run's copies
    return f"{document_file.kind} processed: {', '.join(sorted(changes))}"


def document_file_failed(file_id: int, error: BaseException, *, final: bool) -> None:
    """Records a failed attempt on the file, so that its editors see it (the job itself is in the queue)."""
    state = DocumentFile.Processing.GAVE_UP if final else DocumentFile.Processing.FAILED
    DocumentFile.objects.filter(pk=file_id).update(processing=state, processing_error=str(error)[:2000])


__all__ = ["ProcessingError", "audio_compact", "document_file_failed", "document_file_process",
           "pdf_text", "pdf_thumbnail"]
