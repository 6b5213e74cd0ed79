"""API of documents and their files."""
from django.db.models import Count, Window
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from geo_backend.api.helpers import audience, expected_version, page_links, validated
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.common.errors import DomainError, NotFound
from geo_backend.common.locking import StaleVersion

from ..api_outputs import DocumentOutput, DocumentPage, FileOutput
from ..api_serializers import (
    DocumentCreateInput,
    DocumentFileCreateInput,
    DocumentFileInput,
    DocumentInput,
    DocumentListParameters,
    split,
)
from ..models import DocumentFile
from ..selectors import documents as selectors
from ..services import documents as services
from ..services.documents import DOCUMENT_RELATIONS, Upload
from .common import answer, plain_data, visible_or_404

IF_MATCH = [OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)]


def document_filters(params: dict) -> selectors.DocumentFilters:
    """The selector's filters from validated DocumentListParameters (paging left out, empty values ignored)."""
    names = set(DocumentListParameters().fields) - {"limit", "offset"}
    return selectors.DocumentFilters(**{k: v for k, v in params.items() if k in names and v not in ("", None)})


def visible_document(request, pk):
    return visible_or_404(request, selectors.documents_visible, pk, "document_not_found", "Document", "Document")


def document_answer(request, document, status=200):
    document = selectors.with_list_relations(type(document).objects.filter(pk=document.pk)).get()
    return answer(selectors.document_detail(audience(request), document), document, status)


class DocumentListView(ApiView):
    query_serializer = DocumentListParameters

    @extend_schema(operation_id="documents_list", responses=DocumentPage)
    def get(self, request):
        limit, offset = self.params["limit"], self.params["offset"]
        queryset = selectors.document_search(audience(request), document_filters(self.params))
        # The total comes with the page (a window count): one scan of the matches instead of two.
        page = list(selectors.with_list_relations(queryset.annotate(total=Window(Count("id"))))[offset:offset + limit])
        count = page[0].total if page else queryset.count()
        return Response({**page_links(request, count=count, limit=limit, offset=offset),
                         "results": [selectors.document_summary(d) for d in page]})

    @extend_schema(operation_id="documents_create", request=DocumentCreateInput,
                   responses={201: DocumentOutput, **errors(415)})
    def post(self, request):
        data = validated(DocumentCreateInput, plain_data(request, drop=()))
        organisation = data.pop("organisation")
        upload = data.pop("file", None)
        label, transcript = data.pop("file_label", ""), data.pop("transcript", "")
        fields, relations = split(data, DOCUMENT_RELATIONS)
        uploads = [Upload(upload, label, transcript)] if upload is not None else []
        if transcript and upload is None:
            raise DomainError("transcript_only_for_audio", "Une transcription accompagne un enregistrement audio.",
                              "A transcript goes with an audio recording.")
        document = services.document_create(audience=audience(request), organisation=organisation, fields=fields,
                                            relations=relations, uploads=uploads)
        return document_answer(request, document, status=201)


class DocumentDetailView(ApiView):
    @extend_schema(operation_id="documents_retrieve", responses=DocumentOutput)
    def get(self, request, pk):
        return document_answer(request, visible_document(request, pk))

    @extend_schema(operation_id="documents_update", request=DocumentInput, responses=DocumentOutput,
                   parameters=IF_MATCH)
    def patch(self, request, pk):
        document = visible_document(request, pk)
        version = expected_version(request, request.data)
        fields, relations = split(validated(DocumentInput, plain_data(request), partial=True), DOCUMENT_RELATIONS)
        try:
            document = services.document_update(audience=audience(request), document=document,
                                                expected_version=version, fields=fields, relations=relations)
        except StaleVersion as stale:
            stale.details["current"] = selectors.document_detail(audience(request), visible_document(request, pk))
            raise
        return document_answer(request, document)

    @extend_schema(operation_id="documents_delete", responses={204: None},
                   parameters=IF_MATCH)
    def delete(self, request, pk):
        document = visible_document(request, pk)
        services.document_delete(audience=audience(request), document=document,
                                 expected_version=expected_version(request, request.data))
        return Response(status=204)


class DocumentFileListView(ApiView):
    """POST a file (multipart: file, label, transcript) to a document."""

    @extend_schema(operation_id="documents_files_create", request=DocumentFileCreateInput,
                   responses={201: FileOutput, **errors(415)})
    def post(self, request, pk):
        document = visible_document(request, pk)
        data = validated(DocumentFileCreateInput, plain_data(request, drop=()))
        document_file = services.document_file_add(
            audience=audience(request), document=document,
            upload=Upload(data["file"], data.get("label", ""), data.get("transcript", "")))
        return answer(selectors.file_as_dict(document_file), document_file, status=201)


def visible_file(request, pk) -> DocumentFile:
    found = selectors.document_file_visible(audience(request), pk)
    if found is None:
        raise NotFound("file_not_found", "Fichier introuvable.", "File not found.")
    return found


class DocumentFileDetailView(ApiView):
    @extend_schema(operation_id="document_files_retrieve", responses=FileOutput)
    def get(self, request, pk):
        document_file = visible_file(request, pk)
        return answer(selectors.file_as_dict(document_file), document_file)

    @extend_schema(operation_id="document_files_update", request=DocumentFileInput, responses=FileOutput,
                   parameters=IF_MATCH)
    def patch(self, request, pk):
        document_file = visible_file(request, pk)
        version = expected_version(request, request.data)
        fields = validated(DocumentFileInput, plain_data(request), partial=True)
        document_file = services.document_file_update(audience=audience(request), document_file=document_file,
                                                      expected_version=version, fields=fields)
        return answer(selectors.file_as_dict(document_file), document_file)

    @extend_schema(operation_id="document_files_delete", responses={204: None},
                   parameters=IF_MATCH)
    def delete(self, request, pk):
        document_file = visible_file(request, pk)
        services.document_file_delete(audience=audience(request), document_file=document_file,
                                      expected_version=expected_version(request, request.data))
        return Response(status=204)
