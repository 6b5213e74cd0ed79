"""The tools of the slow work on uploaded files: text and a first-page thumbnail of PDFs, a compact Opus copy of
audio recordings. Pure: paths in, bytes or text out, no database and no storage (services/file_processing.py
records the results; tasks.py runs it in the worker after the upload has answered).

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


__all__ = ["ProcessingError", "audio_compact", "local_copy", "pdf_text", "pdf_thumbnail"]
