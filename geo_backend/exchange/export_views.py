"""Export API: the current selection (any filter of the interventions/zones API) as CSV with HXL hashtags, XLSX,
GeoJSON, GeoPackage, zipped Shapefile or KML; the import template; the vocabularies as JSON or CSV."""
import datetime as dt
import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_backend.api.helpers import audience
from geo_backend.common.errors import DomainError, NotFound
from geo_backend.regions.selectors import edition_resolve
from geo_backend.zones.api_views import FILTER_PARAMETERS, FilterParams
from geo_backend.zones.selectors import InterventionFilters

from . import exports, formats, vocabularies

TEMPLATE_EXAMPLE = {
    "organisation": "Association exemple (à remplacer)", "acronym": "AE", "title": "Causeries sur les VBG",
    "sectors": "vbg", "subsectors": "vbg-prevention", "action_kinds": "sensibilisation", "target_groups": "femmes",
    "region": "Ségou", "region_pcode": "ML04", "cercle": "Ségou", "cercle_pcode": "ML0402", "commune": "Markala",
    "commune_pcode": "ML040216", "locality": "", "start_date": "01/03/2025", "end_date": "31/12/2025",
    "status": "En cours", "women_targeted": "500", "sensitivity": "public",
}
TEMPLATE_KEYS = ["organisation", "acronym", "title", "sectors", "subsectors", "action_kinds", "target_groups",
                 "funders", "region", "region_pcode", "cercle", "cercle_pcode", "commune", "commune_pcode",
                 "locality", "start_date", "end_date", "status", "women_targeted", "women_reached", "sensitivity"]


def strict_params(serializer_class, request) -> dict:
    """Query parameters checked by a serializer; unknown ones are refused, never ignored."""
    serializer = serializer_class(data=request.query_params.dict())
    unknown = sorted(set(request.query_params) - set(serializer.fields))
    if unknown:
        raise DomainError("unknown_parameters", f"Paramètres inconnus : {', '.join(unknown)}.",
                          f"Unknown parameters: {', '.join(unknown)}.", details={"parameters": unknown})
    if not serializer.is_valid():
        raise DomainError("invalid_parameters", "Paramètres invalides.", "Invalid parameters.",
                          details=serializer.errors)
    return dict(serializer.validated_data)


def download(body: bytes, content_type: str, name: str, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="musoya-{name}-{dt.date.today().isoformat()}.{extension}"'
    return response


class ExportParams(FilterParams):
    format = serializers.ChoiceField(choices=[*formats.TABLE_FORMATS, *formats.GEO_FORMATS], default="csv")


class InterventionExportView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="exports_interventions", responses={(200, "text/csv"): OpenApiTypes.BINARY},
                   summary="The selection as 3W CSV (HXL), XLSX, GeoJSON, GeoPackage, zipped Shapefile or KML",
                   parameters=[*[p for p in FILTER_PARAMETERS if p.name not in ("limit", "offset", "geometry")],
                               OpenApiParameter("format", str, enum=[*formats.TABLE_FORMATS, *formats.GEO_FORMATS])])
    def get(self, request):
        data = strict_params(ExportParams, request)
        output = data.pop("format")
        data.pop("geometry", None)
        if "theme" in data:
            data["themes"] = [code.strip() for code in data.pop("theme").split(",") if code.strip()]
        filters, who = InterventionFilters(**data), audience(request)
        if output in formats.TABLE_FORMATS:
            rows = exports.three_w_rows(who, filters)
            columns = exports.THREE_W_COLUMNS
            body = (formats.table_csv(columns, rows) if output == "csv"
                    else formats.table_xlsx([("3W", columns, rows)]))
            return download(body, formats.TABLE_FORMATS[output], "3w", output)
        collection = exports.zones_features(who, filters)
        if output == "geojson":
            body = json.dumps({"type": "FeatureCollection", "features": collection["features"]}).encode()
        else:
            frame = formats.features_frame(collection["features"], exports.flat_properties)
            body = formats.geo_file(frame, output)
        return download(body, formats.GEO_FORMATS[output], "zones", formats.EXTENSIONS[output])


class TemplateParams(serializers.Serializer):
    format = serializers.ChoiceField(choices=["xlsx", "csv"], default="xlsx")


class ImportTemplateView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="exports_import_template", responses={(200, "text/csv"): OpenApiTypes.BINARY},
                   parameters=[OpenApiParameter("format", str, enum=["xlsx", "csv"])],
                   summary="The import template, with the theme list and the P-codes (XLSX sheets)")
    def get(self, request):
        output = strict_params(TemplateParams, request)["format"]
        by_key = {key: (key, header, tag) for key, header, tag in exports.THREE_W_COLUMNS}
        by_key["locality"] = ("locality", "Localité", "#loc+name")
        columns = [by_key[key] for key in TEMPLATE_KEYS]
        if output == "csv":
            return download(formats.table_csv(columns, [TEMPLATE_EXAMPLE]), formats.TABLE_FORMATS["csv"],
                            "modele-import", "csv")
        edition = edition_resolve(None)
        sheets = [("Interventions", columns, [TEMPLATE_EXAMPLE]),
                  ("Thèmes", *vocabularies.themes()),
                  ("Types d'action", *vocabularies.VOCABULARIES["action-kinds"]()),
                  ("Groupes cibles", *vocabularies.VOCABULARIES["target-groups"]()),
                  ("P-codes", *vocabularies.admin_units(edition, None))]
        return download(formats.table_xlsx(sheets), formats.TABLE_FORMATS["xlsx"], "modele-import", "xlsx")


class VocabularyParams(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json", "csv"], default="json")


class AdminUnitVocabularyParams(VocabularyParams):
    edition = serializers.SlugField(required=False)
    level = serializers.IntegerField(min_value=1, max_value=4, required=False)


class VocabularyIndexParams(serializers.Serializer):
    """No parameters: any given is refused."""


class VocabularyListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="vocabularies_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        strict_params(VocabularyIndexParams, request)
        return Response({"results": [{"name": name, "url": request.build_absolute_uri(f"{name}/")}
                                     for name in vocabularies.VOCABULARIES]})


class VocabularyView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="vocabularies_retrieve", responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("format", str, enum=["json", "csv"]),
                               OpenApiParameter("edition", str), OpenApiParameter("level", int)])
    def get(self, request, name):
        if name not in vocabularies.VOCABULARIES:
            raise NotFound("vocabulary_not_found", f"Liste inconnue : {name}.", f"Unknown list: {name}.")
        params = strict_params(AdminUnitVocabularyParams if name == "admin-units" else VocabularyParams, request)
        extra = ({"edition": edition_resolve(params.get("edition")), "level": params.get("level")}
                 if name == "admin-units" else {})
        columns, rows = vocabularies.VOCABULARIES[name](**extra)
        if params["format"] == "csv":
            return download(formats.table_csv(columns, rows), formats.TABLE_FORMATS["csv"], name, "csv")
        return Response({"count": len(rows), "hxl": {key: tag for key, _h, tag in columns if tag},
                         "results": json.loads(json.dumps(rows, default=str))})
