"""Checks an uploaded file before anything is stored: size, type read from the content, a name made safe.

The type comes from the first bytes (magic numbers, with the pure-Python `filetype` package, so no system
library such as libmagic is needed), never from the name or the Content-Type the browser sent; the file is
then opened by the parser of that type (pypdf, Pillow, mutagen) so that a file merely starting with the right
bytes is refused too. Everything here reads; nothing is written.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone
from django.utils.text import get_valid_filename

from geo_backend.common.errors import DomainError

# Detected MIME type -> (kind of file, extension given to the stored copy).
ACCEPTED_TYPES = {
    "application/pdf": ("pdf", "pdf"),
    "image/jpeg": ("image", "jpg"),
    "image/png": ("image", "png"),
    "image/webp": ("image", "webp"),
    "audio/mpeg": ("audio", "mp3"),
    "audio/ogg": ("audio", "ogg"),
    "audio/mp4": ("audio", "m4a"),
    "audio/x-wav": ("audio", "wav"),
}
ACCEPTED_LABEL = "PDF, JPEG, PNG, WebP, MP3, OGG, M4A, WAV"
# Markers of PDF features that run code or open things by themselves. Such a PDF is still accepted (reports
# sometimes carry form scripts) but only ever served as an opaque download.
_PDF_ACTIVE_MARKERS = re.compile(rb"/(?:JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|RichMedia|XFA)\b")
# mutagen's readers of video containers: an Ogg video is not an audio recording.
_VIDEO_READERS = {"OggTheora"}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class InspectedFile:
    kind: str  # pdf, image, audio
    content_type: str
    extension: str
    size_bytes: int
    sha256: str
    safe_name: str  # for Content-Disposition
    storage_name: str  # where it goes in the storage: library/YYYY/MM/<random>-<safe name>
    has_active_content: bool = False
    duration_seconds: float | None = None
    page_count: int | None = None


def refuse(code: str, message_fr: str, message_en: str, status_code: int = 400, **details) -> DomainError:
    return DomainError(code, message_fr, message_en, status_code=status_code, details=details or None)


def safe_file_name(original_name: str, extension: str) -> str:
    """A name without folders or odd characters, ending in the extension of the detected type."""
    base = PurePosixPath((original_name or "").replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing left, or only dots
        stem = ""
    stem = stem.strip("._-")[:80] or "document"
    return f"{stem}.{extension}"


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_pdf(upload) -> tuple[int, bool]:
    """Page count, and whether the PDF carries scripts or automatic actions. Refuses a PDF pypdf cannot read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    upload.seek(0)
    active = False
    previous_tail = b""
    for chunk in upload.chunks():  # markers may sit in plain (uncompressed) objects anywhere in the file
        if _PDF_ACTIVE_MARKERS.search(previous_tail + chunk):
            active = True
            break
        previous_tail = chunk[-32:]
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        pages = len(reader.pages)
        catalog = reader.trailer["/Root"]
        names = catalog.get("/Names")
        names = names.get_object() if names is not None else {}
        if "/OpenAction" in catalog or "/AA" in catalog or "/JavaScript" in names or "/EmbeddedFiles" in names:
            active = True
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError, RecursionError) as error:
        raise refuse("pdf_unreadable", "Ce PDF est illisible ou endommagé.",
                     "This PDF cannot be read or is damaged.") from error
    finally:
        upload.seek(0)
    if pages < 1:
        raise refuse("pdf_unreadable", "Ce PDF n'a aucune page.", "This PDF has no page.")
    return pages, active


def _check_image(upload) -> None:
    """Refuses images Pillow cannot read and decompression bombs (huge dimensions in a small file)."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.LIBRARY_MAX_IMAGE_PIXELS
    too_large = refuse("image_too_large", f"Image trop grande (au plus {limit:,} pixels).",
                       f"Image too large (at most {limit:,} pixels).")
    upload.seek(0)
    try:
        with Image.open(upload) as image:  # reads the header only
            width, height = image.size
            if width * height > limit:
                raise too_large
            image.verify()
    except Image.DecompressionBombError as error:  # Pillow's own guard, for the most extreme dimensions
        raise too_large from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise refuse("image_unreadable", "Cette image est illisible ou endommagée.",
                     "This image cannot be read or is damaged.") from error
    finally:
        upload.seek(0)


def _check_audio(upload) -> float:
    """The duration in seconds, read from the file's own headers (mutagen). Refuses what is not audio."""
    import mutagen

    upload.seek(0)
    try:
        audio = mutagen.File(upload)
    except (mutagen.MutagenError, ValueError, OSError, EOFError) as error:
        raise refuse("audio_unreadable", "Cet enregistrement audio est illisible.",
                     "This audio recording cannot be read.") from error
    finally:
        upload.seek(0)
    length = getattr(getattr(audio, "info", None), "length", None)
    if audio is None or type(audio).__name__ in _VIDEO_READERS or not length or length <= 0:
        raise refuse("audio_unreadable", "Cet enregistrement audio est illisible ou vide.",
                     "This audio recording cannot be read or is empty.")
    return float(length)


def inspect_upload(upload) -> InspectedFile:
    """Checks an uploaded file (a Django UploadedFile) and says what it is; raises DomainError to refuse it."""
    limits = settings.LIBRARY_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size == 0:
        raise refuse("file_empty", "Le fichier est vide.", "The file is empty.")
    largest = max(limits.values())
    if size > largest:
        raise refuse("file_too_large", f"Fichier trop volumineux (au plus {largest // 1_048_576} Mo).",
                     f"File too large (at most {largest // 1_048_576} MB).", status_code=413,
                     size_bytes=size, limit_bytes=largest)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    detected = guess.mime if guess else None
    if detected not in ACCEPTED_TYPES:
        raise refuse("unsupported_file_type",
                     f"Type de fichier refusé (lu dans son contenu : {detected or 'inconnu'}). "
                     f"Acceptés : {ACCEPTED_LABEL}.",
                     f"File type refused (read from its content: {detected or 'unknown'}). "
                     f"Accepted: {ACCEPTED_LABEL}.", status_code=415, detected=detected)
    kind, extension = ACCEPTED_TYPES[detected]
    if size > limits[kind]:
        raise refuse("file_too_large", f"Fichier trop volumineux (au plus {limits[kind] // 1_048_576} Mo).",
                     f"File too large (at most {limits[kind] // 1_048_576} MB).", status_code=413,
                     size_bytes=size, limit_bytes=limits[kind])
    pages, active, duration = None, False, None
    if kind == "pdf":
        pages, active = _check_pdf(upload)
    elif kind == "image":
        _check_image(upload)
    else:
        duration = _check_audio(upload)
    name = safe_file_name(upload.name, extension)
    today = timezone.localdate()
    return InspectedFile(
        kind=kind, content_type=detected, extension=extension, size_bytes=size, sha256=_sha256(upload),
        safe_name=name, storage_name=f"library/{today:%Y/%m}/{secrets.token_hex(8)}-{name}",
        has_active_content=active, duration_seconds=duration, page_count=pages,
    )
