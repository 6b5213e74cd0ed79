"""Records the slow work on a stored file (run by the worker, tasks.py): the tools of processing.py on a local
copy of the file, then the derived files and the text saved with the row in one transaction."""
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from ..models import DocumentFile
from ..processing import audio_compact, local_copy, pdf_text, pdf_thumbnail
from .documents import document_search_refresh
from .files import delete_after_commit, files_removed_on_failure, storage_save


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
