"""Reads of documents: the French full-text search with filters, and the shapes the API and pages show."""
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse

from geo_backend.organisations.access import Audience, can_edit_document, visible_documents_q
from geo_backend.organisations.models import Organisation

from ..models import Document, DocumentFile

SEARCH_CONFIG = "musoya_fr"  # French stemming + unaccent (migration 0001)


@dataclass(frozen=True)
class DocumentFilters:
    q: str | None = None
    theme: str | None = None  # a domain includes its sub-domains
    place: str | None = None  # P-code of a unit: documents about it or any unit inside it
    kind: str | None = None
    language: str | None = None
    organisation: int | None = None  # publisher or co-publisher


def documents_visible(audience: Audience) -> QuerySet:
    return Document.objects.filter(visible_documents_q(audience))


def document_search(audience: Audience, filters: DocumentFilters) -> QuerySet:
    """The documents this audience may see that match the words (French stemming, accents ignored) and filters;
    best matches first when there are words, newest first otherwise."""
    queryset = documents_visible(audience)
    if filters.q:
        query = SearchQuery(filters.q, config=SEARCH_CONFIG, search_type="websearch")
        queryset = queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    if filters.theme:
        queryset = queryset.filter(Q(themes__code=filters.theme) | Q(themes__parent__code=filters.theme))
    if filters.place:
        code = filters.place.upper()
        queryset = queryset.filter(Q(places__pcode=code) | Q(places__parent__pcode=code)
                                   | Q(places__parent__parent__pcode=code)
                                   | Q(places__parent__parent__parent__pcode=code))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.organisation:
        queryset = queryset.filter(Q(organisation_id=filters.organisation)
                                   | Q(co_publishers__id=filters.organisation))
    if filters.theme or filters.place or filters.organisation:
        queryset = queryset.distinct()
    order = ["-rank", "-published_on", "-id"] if filters.q else ["-published_on", "-id"]
    return queryset.order_by(*order)


def with_list_relations(queryset: QuerySet) -> QuerySet:
    """What a list of documents shows, in a fixed number of queries."""
    return queryset.defer("search_vector").select_related("organisation").prefetch_related(
        "themes", Prefetch("files", queryset=DocumentFile.objects.defer("extracted_text")))


def file_url(document_file: DocumentFile, variant: str) -> str:
    return reverse("library-file", args=[document_file.id, variant])


def file_as_dict(document_file: DocumentFile) -> dict:
    return {
        "id": document_file.id,
        "kind": document_file.kind,
        "label": document_file.label,
        "name": document_file.original_name,
        "content_type": document_file.content_type,
        "size_bytes": document_file.size_bytes,
        "duration_seconds": round(document_file.duration_seconds, 1) if document_file.duration_seconds else None,
        "page_count": document_file.page_count,
        "transcript": document_file.transcript,
        "processing": document_file.processing,
        "version": document_file.version,
        "url": file_url(document_file, "original"),
        "compact_url": file_url(document_file, "compact") if document_file.compact else None,
        "compact_size_bytes": document_file.compact_size_bytes,
        "thumbnail_url": file_url(document_file, "thumbnail") if document_file.thumbnail else None,
    }


def organisation_ref(organisation: Organisation) -> dict:
    return {"id": organisation.id, "name": organisation.name, "slug": organisation.slug}


def document_summary(document: Document) -> dict:
    """A document in a list (files without transcripts, to keep lists light)."""
    return {
        "id": document.id,
        "title": document.title,
        "kind": document.kind,
        "language": document.language,
        "published_on": document.published_on,
        "visibility": document.visibility,
        "organisation": organisation_ref(document.organisation),
        "themes": sorted(theme.code for theme in document.themes.all()),
        "external_url": document.external_url,
        "is_demo": document.is_demo,
        "version": document.version,
        "files": [{key: value for key, value in file_as_dict(f).items() if key != "transcript"}
                  for f in document.files.all()],
        "page": reverse("library:document", args=[document.id]),
    }


def document_detail(audience: Audience, document: Document) -> dict:
    """A document with everything a reader may see, and whether this reader may change it."""
    return {
        **document_summary(document),
        "summary": document.summary,
        "licence": document.licence,
        "places": [{"pcode": unit.pcode, "name": unit.name, "level": unit.level}
                   for unit in document.places.order_by("level", "name")],
        "co_publishers": [organisation_ref(org) for org in document.co_publishers.all()],
        "files": [file_as_dict(f) for f in document.files.all()],
        "can_edit": can_edit_document(audience, organisation_id=document.organisation_id),
        "created_at": document.created_at,
        "updated_at": document.updated_at,
    }


def document_file_visible(audience: Audience, file_id: int) -> DocumentFile | None:
    """The file if its document is visible to this audience."""
    return (DocumentFile.objects.select_related("document", "document__organisation")
            .filter(pk=file_id, document__in=documents_visible(audience)).first())
