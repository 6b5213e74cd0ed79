"""Serves the library's files: only to those who may see the document, never rendered by the browser as a page,
and in ranges (HTTP 206) so that an audio player can seek and a download can resume on a poor connection.

whitenoise serves static files only, and media must pass the visibility check anyway, hence this view.
"""
import re

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from geo_backend.organisations.access import audience_for

from .models import DocumentFile
from .selectors.documents import document_file_visible

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
VARIANTS = {"original", "compact", "thumbnail"}


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single `Range: bytes=…` header; None to send everything (no or unusable header,
    or several ranges); False when the range lies outside the file (416)."""
    match = _RANGE.match(header.strip()) if header else None
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    first = int(first)
    last = min(int(last), size - 1) if last else size - 1
    if first >= size or last < first:
        return False
    return first, last


def _stream(handle, first: int, length: int):
    try:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def served_type(document_file: DocumentFile, variant: str) -> str:
    """The Content-Type sent: the type read from the content, a fixed one for derived files, and an opaque one
    for a PDF that carries scripts."""
    if variant == "compact":
        return "audio/ogg; codecs=opus"
    if variant == "thumbnail":
        return "image/png"
    if document_file.has_active_content:
        return "application/octet-stream"
    return document_file.content_type


def download_name(document_file: DocumentFile, variant: str) -> str:
    stem = document_file.original_name.rsplit(".", 1)[0]
    return {"compact": f"{stem}-leger.ogg", "thumbnail": f"{stem}-apercu.png"}.get(variant,
                                                                                   document_file.original_name)


@require_safe
def library_file(request, pk: int, variant: str):
    """GET /fichiers/<id>/<original|compact|thumbnail>/ (Range requests answered with 206)."""
    if variant not in VARIANTS:
        raise Http404
    document_file = document_file_visible(audience_for(request.user), pk)
    field = getattr(document_file, variant, None) if document_file else None
    if not field:
        raise Http404
    size = field.size
    wanted = parse_range(request.headers.get("Range", ""), size)
    headers = {
        "Content-Type": served_type(document_file, variant),
        # Never shown as a page of this site: downloaded (audio and images still play and show in <audio>/<img>),
        # not sniffed into HTML, and sandboxed (no script, no same-origin) if a browser opens it anyway.
        "Content-Disposition": content_disposition_header(True, download_name(document_file, variant)),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Accept-Ranges": "bytes",
        "Cache-Control": ("public, max-age=86400" if document_file.document.visibility == "public"
                          and document_file.document.organisation.status == "active" else "private, max-age=3600"),
    }
    # These formats are already compressed, and a gzip-encoded 206 would not match its Content-Range: keep
    # GZipMiddleware off this response.
    request.META.pop("HTTP_ACCEPT_ENCODING", None)
    if wanted is False:
        response = HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        response["Content-Type"] = "text/plain"
        return response
    first, last = wanted if wanted else (0, size - 1)
    length = last - first + 1 if size else 0
    if request.method == "HEAD":
        response = HttpResponse(status=206 if wanted else 200, headers=headers)
    else:
        response = StreamingHttpResponse(_stream(field.open("rb"), first, length), status=206 if wanted else 200,
                                         headers=headers)
    response["Content-Length"] = str(length)
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
