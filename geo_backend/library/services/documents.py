"""Writes of documents and their files. Uploads are checked (uploads.inspect_upload) before anything is
written; the slow work (PDF text and thumbnail, compact audio) is queued for the worker in the same transaction,
so a rolled-back upload leaves no job either."""
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction

from geo_backend.common.errors import DomainError, refuse_fields_outside
from geo_backend.common.locking import version_bump
from geo_backend.organisations.access import Audience, require_library_editor
from geo_backend.organisations.models import Organisation

from ..jobs import enqueue_file_processing
from ..models import Document, DocumentFile
from ..uploads import InspectedFile, inspect_upload
from .files import delete_after_commit, files_removed_on_failure, storage_save

DOCUMENT_FIELDS = {"title", "summary", "kind", "language", "published_on", "licence", "visibility", "external_url"}
DOCUMENT_RELATIONS = ("themes", "places", "co_publishers")
FILE_FIELDS = {"label", "transcript"}
MAX_TRANSCRIPT_CHARS = 200_000


@dataclass
class Upload:
    """A file sent by a person, with what they said about it."""

    file: UploadedFile
    label: str = ""
    transcript: str = ""


def _check_transcript(kind: str, transcript: str) -> None:
    if transcript and kind != DocumentFile.Kind.AUDIO:
        raise DomainError("transcript_only_for_audio", "Une transcription accompagne un enregistrement audio.",
                          "A transcript goes with an audio recording.")
    if len(transcript) > MAX_TRANSCRIPT_CHARS:
        raise DomainError("transcript_too_long", "Transcription trop longue.", "Transcript too long.")


def _set_relations(document: Document, relations: dict) -> None:
    for name in DOCUMENT_RELATIONS:
        if name in relations:
            getattr(document, name).set(relations[name])


def _store_file(saved: list[str], document: Document, upload: Upload, inspected: InspectedFile) -> DocumentFile:
    stored = storage_save(saved, inspected.storage_name, upload.file)
    needs_work = inspected.kind in (DocumentFile.Kind.PDF, DocumentFile.Kind.AUDIO)
    document_file = DocumentFile.objects.create(
        document=document, kind=inspected.kind, label=upload.label.strip(), original=stored,
        original_name=inspected.safe_name, content_type=inspected.content_type, size_bytes=inspected.size_bytes,
        sha256=inspected.sha256, has_active_content=inspected.has_active_content,
        duration_seconds=inspected.duration_seconds, page_count=inspected.page_count,
        transcript=upload.transcript.strip(),
        processing=DocumentFile.Processing.PENDING if needs_work else DocumentFile.Processing.NOT_NEEDED,
    )
    if needs_work:
        enqueue_file_processing(document_file.id)
    return document_file


def document_search_refresh(document_id: int) -> None:
    """Rewrites the document's search vector: title (A), summary (B), transcripts and PDF text (C)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE library_document d SET search_vector =
                setweight(to_tsvector('musoya_fr', coalesce(d.title, '')), 'A')
                || setweight(to_tsvector('musoya_fr', coalesce(d.summary, '')), 'B')
                || setweight(to_tsvector('musoya_fr', coalesce((
                       SELECT string_agg(f.label || ' ' || f.transcript || ' ' || f.extracted_text, ' ')
                       FROM library_documentfile f WHERE f.document_id = d.id), '')), 'C')
            WHERE d.id = %s
        """, [document_id])


def document_create(*, audience: Audience, organisation: Organisation, fields: dict, relations: dict,
                    uploads: list[Upload] = ()) -> Document:
    """Publishes a document of the organisation, with its files (each checked before anything is stored)."""
    require_library_editor(audience, organisation_id=organisation.id)
    refuse_fields_outside(fields, DOCUMENT_FIELDS)
    checked = [(upload, inspect_upload(upload.file)) for upload in uploads]
    for upload, inspected in checked:
        _check_transcript(inspected.kind, upload.transcript)
    if not checked and not fields.get("external_url"):
        raise DomainError("file_or_link_required", "Joignez un fichier ou indiquez un lien.",
                          "Attach a file or give a link.")
    with files_removed_on_failure() as saved, transaction.atomic():
        document = Document.objects.create(organisation=organisation, created_by_id=audience.user_id,
                                           is_demo=organisation.is_demo, **fields)
        _set_relations(document, relations)
        for upload, inspected in checked:
            _store_file(saved, document, upload, inspected)
        document_search_refresh(document.id)
    return document


@transaction.atomic
def document_update(*, audience: Audience, document: Document, expected_version: int, fields: dict,
                    relations: dict) -> Document:
    require_library_editor(audience, organisation_id=document.organisation_id)
    refuse_fields_outside(fields, DOCUMENT_FIELDS)
    version_bump(Document, pk=document.pk, expected_version=expected_version, **fields)
    document.refresh_from_db()
    _set_relations(document, relations)
    document_search_refresh(document.id)
    return document


@transaction.atomic
def document_delete(*, audience: Audience, document: Document, expected_version: int) -> None:
    """Deletes the document and its files (the stored files once the deletion is committed)."""
    require_library_editor(audience, organisation_id=document.organisation_id)
    version_bump(Document, pk=document.pk, expected_version=expected_version)
    names = []
    for document_file in document.files.all():
        names += [document_file.original.name, document_file.compact.name, document_file.thumbnail.name]
    document.delete()
    delete_after_commit(names)


def document_file_add(*, audience: Audience, document: Document, upload: Upload) -> DocumentFile:
    """Adds one checked file to a document."""
    require_library_editor(audience, organisation_id=document.organisation_id)
    inspected = inspect_upload(upload.file)
    _check_transcript(inspected.kind, upload.transcript)
    with files_removed_on_failure() as saved, transaction.atomic():
        # The document's version moves too, so that someone editing it sees that its files changed.
        version_bump(Document, pk=document.pk, expected_version=Document.objects.get(pk=document.pk).version)
        document_file = _store_file(saved, document, upload, inspected)
        document_search_refresh(document.id)
    return document_file


@transaction.atomic
def document_file_update(*, audience: Audience, document_file: DocumentFile, expected_version: int,
                         fields: dict) -> DocumentFile:
    """Changes a file's label or transcript (the search follows)."""
    require_library_editor(audience, organisation_id=document_file.document.organisation_id)
    refuse_fields_outside(fields, FILE_FIELDS)
    if "transcript" in fields:
        _check_transcript(document_file.kind, fields["transcript"])
    version_bump(DocumentFile, pk=document_file.pk, expected_version=expected_version, **fields)
    document_file.refresh_from_db()
    document_search_refresh(document_file.document_id)
    return document_file


@transaction.atomic
def document_file_delete(*, audience: Audience, document_file: DocumentFile, expected_version: int) -> None:
    require_library_editor(audience, organisation_id=document_file.document.organisation_id)
    version_bump(DocumentFile, pk=document_file.pk, expected_version=expected_version)
    names = [document_file.original.name, document_file.compact.name, document_file.thumbnail.name]
    document_id = document_file.document_id
    document_file.delete()
    document_search_refresh(document_id)
    delete_after_commit(names)
