"""Import API: POST /api/v1/imports/ (dry run by default; dry_run=false carries it out), GET the history."""
import base64
import binascii
import json

from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from etl.tables import MAX_BYTES
from geo_backend.api.helpers import StrictSerializer, audience, page_links, validated
from geo_backend.api.views import ApiView
from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import visible_import_runs_q

from .api_serializers import ImportListParameters, ImportReport, ImportRunPage
from .models import ImportRun
from .services import import_file


class ImportInput(StrictSerializer):
    """A file (multipart "file"), or for scripts a JSON body with "filename" and "content" (text) or
    "content_base64" (an XLSX workbook)."""

    file = serializers.FileField(required=False)
    filename = serializers.CharField(max_length=255, required=False)
    content = serializers.CharField(required=False, trim_whitespace=False)
    content_base64 = serializers.CharField(required=False)
    dry_run = serializers.BooleanField(default=True)
    mapping = serializers.JSONField(required=False)
    organisation = serializers.IntegerField(min_value=1, required=False)
    scheme = serializers.ChoiceField(choices=["cod2015", "hdx2017"], required=False)
    edition = serializers.SlugField(required=False)
    submit = serializers.BooleanField(default=False)

    def validate_mapping(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as error:
                raise serializers.ValidationError(f"JSON illisible / unreadable JSON: {error}") from None
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str | type(None))
                                                  for k, v in value.items()):
            raise serializers.ValidationError('{"champ": "colonne"} / {"field": "column"}')
        return value


def _file_bytes(data: dict) -> tuple[bytes, str]:
    upload = data.get("file")
    if upload is not None:
        if upload.size > MAX_BYTES:
            raise DomainError("file_too_large", f"Fichier trop volumineux (maximum {MAX_BYTES // 1_000_000} Mo).",
                              f"File too large (at most {MAX_BYTES // 1_000_000} MB).", status_code=413)
        return upload.read(), upload.name
    filename = data.get("filename") or "import.csv"
    if "content" in data:
        raw = data["content"].encode("utf-8")
    elif "content_base64" in data:
        try:
            raw = base64.b64decode(data["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise DomainError("content_invalid", "content_base64 n'est pas du base64.",
                              "content_base64 is not base64.") from None
    else:
        raise DomainError("file_required", "Joignez un fichier (file) ou son contenu (content).",
                          "Attach a file (file) or its content (content).")
    if len(raw) > MAX_BYTES:
        raise DomainError("file_too_large", f"Fichier trop volumineux (maximum {MAX_BYTES // 1_000_000} Mo).",
                          f"File too large (at most {MAX_BYTES // 1_000_000} MB).", status_code=413)
    return raw, filename


def run_as_dict(run: ImportRun) -> dict:
    return {"id": run.id, "filename": run.filename, "sha256": run.sha256, "organisation": run.organisation_id,
            "user": run.user_id, "rows": run.rows, "created": run.created, "updated": run.updated,
            "unchanged": run.unchanged, "created_at": run.created_at}


# A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused by web.middleware.RequestBodyLimitMiddleware before the view
# runs; it answers with this error (body_too_large_error) rather than its generic one, so the caller learns what to do.
CONTENT_TOO_LARGE = ("file_too_large", "Contenu trop volumineux : envoyez le fichier (multipart).",
                     "Content too large: send the file (multipart).")


class ImportView(ApiView):
    query_serializer = ImportListParameters
    body_too_large_error = CONTENT_TOO_LARGE

    @extend_schema(operation_id="imports_list", responses=ImportRunPage)
    def get(self, request):
        who = audience(request)
        if who.is_visitor:
            raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
        params = self.params
        runs = ImportRun.objects.filter(visible_import_runs_q(who)).order_by("-created_at", "-id")
        page = runs[params["offset"]:params["offset"] + params["limit"]]
        return Response({**page_links(request, count=runs.count(), limit=params["limit"], offset=params["offset"]),
                         "results": [run_as_dict(r) for r in page]})

    @extend_schema(operation_id="imports_create", request=ImportInput, responses={200: ImportReport, 201: ImportReport},
                   summary="Import interventions from CSV, XLSX or a KoBoToolbox export (dry run by default)")
    def post(self, request):
        who = audience(request)
        if who.is_visitor:  # before reading the file
            raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
        try:
            body = request.data
        except RequestDataTooBig:  # a form field over Django's DATA_UPLOAD_MAX_MEMORY_SIZE: send the file instead
            raise DomainError(*CONTENT_TOO_LARGE, status_code=413) from None
        data = validated(ImportInput, body)
        raw, filename = _file_bytes(data)
        report = import_file(audience=who, data=raw, filename=filename, mapping=data.get("mapping"),
                             organisation_id=data.get("organisation"), scheme=data.get("scheme"),
                             edition_slug=data.get("edition"), dry_run=data["dry_run"], submit=data["submit"])
        created = not data["dry_run"] and (report["counts"]["create"] or report["counts"]["update"])
        return Response(json.loads(json.dumps(report, default=str)), status=201 if created else 200)
