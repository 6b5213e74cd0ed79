"""Export API: the current selection (any filter of the interventions/zones API) as CSV with HXL hashtags, XLSX,
GeoJSON, GeoPackage, zipped Shapefile or KML; the import template; the vocabularies as JSON or CSV."""
import datetime as dt
import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from geo_backend.api.helpers import audience
from geo_backend.api.views import ApiView
from geo_backend.common.errors import NotFound
from geo_backend.regions.selectors import edition_resolve
from geo_backend.zones.api_serializers import intervention_filters

from . import exports, formats, vocabularies
from .api_serializers import (
    AdminUnitVocabularyParameters,
    ExportParameters,
    TemplateParameters,
    Vocabulary,
    VocabularyIndex,
    VocabularyParameters,
    VocabularyPath,
)

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


def download(body: bytes, content_type: str, name: str, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="musoya-{name}-{dt.date.today().isoformat()}.{extension}"'
    return response


def binary(*media_types: str) -> dict:
    """Responses of a download: a file in one of the media types (the schema lists each)."""
    return {(200, media_type): OpenApiTypes.BINARY for media_type in dict.fromkeys(media_types)}


class InterventionExportView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = ExportParameters

    @extend_schema(operation_id="exports_interventions",
                   responses=binary(*formats.TABLE_FORMATS.values(), *formats.GEO_FORMATS.values()),
                   summary="The selection as 3W CSV (HXL), XLSX, GeoJSON, GeoPackage, zipped Shapefile or KML")
    def get(self, request):
        output = self.params["format"]
        filters, who = intervention_filters(self.params), audience(request)
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


class ImportTemplateView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = TemplateParameters

    @extend_schema(operation_id="exports_import_template",
                   responses=binary(formats.TABLE_FORMATS["xlsx"], formats.TABLE_FORMATS["csv"]),
                   summary="The import template, with the theme list and the P-codes (XLSX sheets)")
    def get(self, request):
        output = self.params["format"]
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


class VocabularyListView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="vocabularies_list", responses=VocabularyIndex)
    def get(self, request):
        return Response({"results": [{"name": name, "url": request.build_absolute_uri(f"{name}/")}
                                     for name in vocabularies.VOCABULARIES]})


class VocabularyView(ApiView):
    """One list; admin-units also takes an edition and a level (its query parameters are those of
    AdminUnitVocabularyParameters, any other list's those of VocabularyParameters)."""

    permission_classes = [AllowAny]
    query_serializer = AdminUnitVocabularyParameters  # the widest: the schema documents all three
    path_serializer = VocabularyPath

    def initial(self, request, *args, **kwargs):
        # The parameters depend on the list named: an unknown list is a 404 before any parameter is checked.
        name = kwargs.get("name")
        if name not in vocabularies.VOCABULARIES:
            raise NotFound("vocabulary_not_found", f"Liste inconnue : {name}.", f"Unknown list: {name}.")
        if name != "admin-units":
            self.query_serializer = VocabularyParameters
        super().initial(request, *args, **kwargs)

    @extend_schema(operation_id="vocabularies_retrieve",
                   responses={(200, "application/json"): Vocabulary, (200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, name):
        params = self.params
        extra = ({"edition": edition_resolve(params.get("edition")), "level": params.get("level")}
                 if name == "admin-units" else {})
        columns, rows = vocabularies.VOCABULARIES[name](**extra)
        if params["format"] == "csv":
            return download(formats.table_csv(columns, rows), formats.TABLE_FORMATS["csv"], name, "csv")
        return Response({"count": len(rows), "hxl": {key: tag for key, _h, tag in columns if tag},
                         "results": json.loads(json.dumps(rows, default=str))})
