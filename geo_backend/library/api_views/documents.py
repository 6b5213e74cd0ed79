"""API of documents and their files."""
from django.db.models import Count, Window
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_backend.api.helpers import audience, expected_version, page_links, page_params, validated
from geo_backend.common.errors import DomainError, NotFound
from geo_backend.common.locking import StaleVersion

from ..api_serializers import (
    DocumentCreateInput,
    DocumentFileCreateInput,
    DocumentFileInput,
    DocumentFilterParams,
    DocumentInput,
    split,
)
from ..models import DocumentFile
from ..selectors import documents as selectors
from ..services import documents as services
from ..services.documents import DOCUMENT_RELATIONS, Upload
from .common import answer, plain_data, visible_or_404

PARSERS = [JSONParser, MultiPartParser, FormParser]
SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Mots cherchés (français, sans accents ni pluriels) / words"),
    OpenApiParameter("theme", str), OpenApiParameter("place", str, description="P-code"),
    OpenApiParameter("kind", str), OpenApiParameter("language", str), OpenApiParameter("organisation", int),
    OpenApiParameter("limit", int), OpenApiParameter("offset", int),
]


def document_filters(request) -> selectors.DocumentFilters:
    params = DocumentFilterParams(data=request.query_params)
    if not params.is_valid():
        raise DomainError("invalid_parameters", "Filtres invalides.", "Invalid filters.", details=params.errors)
    return selectors.DocumentFilters(**{k: v for k, v in params.validated_data.items() if v not in ("", None)})


def visible_document(request, pk):
    return visible_or_404(request, selectors.documents_visible, pk, "document_not_found", "Document", "Document")


def document_answer(request, document, status=200):
    document = selectors.with_list_relations(type(document).objects.filter(pk=document.pk)).get()
    return answer(selectors.document_detail(audience(request), document), document, status)


class DocumentListView(APIView):
    parser_classes = PARSERS

    @extend_schema(operation_id="documents_list", parameters=SEARCH_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        limit, offset = page_params(request)
        queryset = selectors.document_search(audience(request), document_filters(request))
        # The total comes with the page (a window count): one scan of the matches instead of two.
        page = list(selectors.with_list_relations(queryset.annotate(total=Window(Count("id"))))[offset:offset + limit])
        count = page[0].total if page else queryset.count()
        return Response({**page_links(request, count=count, limit=limit, offset=offset),
                         "results": [selectors.document_summary(d) for d in page]})

    @extend_schema(operation_id="documents_create", request=DocumentCreateInput, responses={201: OpenApiTypes.OBJECT})
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


class DocumentDetailView(APIView):
    @extend_schema(operation_id="documents_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return document_answer(request, visible_document(request, pk))

    @extend_schema(operation_id="documents_update", request=DocumentInput, responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
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
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def delete(self, request, pk):
        document = visible_document(request, pk)
        services.document_delete(audience=audience(request), document=document,
                                 expected_version=expected_version(request, request.data))
        return Response(status=204)


class DocumentFileListView(APIView):
    """POST a file (multipart: file, label, transcript) to a document."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="documents_files_create", request=DocumentFileCreateInput,
                   responses={201: OpenApiTypes.OBJECT})
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


class DocumentFileDetailView(APIView):
    @extend_schema(operation_id="document_files_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        document_file = visible_file(request, pk)
        return answer(selectors.file_as_dict(document_file), document_file)

    @extend_schema(operation_id="document_files_update", request=DocumentFileInput, responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def patch(self, request, pk):
        document_file = visible_file(request, pk)
        version = expected_version(request, request.data)
        fields = validated(DocumentFileInput, plain_data(request), partial=True)
        document_file = services.document_file_update(audience=audience(request), document_file=document_file,
                                                      expected_version=version, fields=fields)
        return answer(selectors.file_as_dict(document_file), document_file)

    @extend_schema(operation_id="document_files_delete", responses={204: None},
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def delete(self, request, pk):
        document_file = visible_file(request, pk)
        services.document_file_delete(audience=audience(request), document_file=document_file,
                                      expected_version=expected_version(request, request.data))
        return Response(status=204)
