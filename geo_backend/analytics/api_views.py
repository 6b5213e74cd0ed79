"""Coverage analytics API: /api/v1/analytics/coverage/, /gaps/, /overlaps/, /changes/ and /rollups/.

GeoJSON (units with their measures and web geometry), JSON or CSV (with an HXL hashtag row) by ?format=.
"""
import json

from django.db import connection
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from etl.hxl import admin_tag, csv_bytes
from geo_backend.api.helpers import audience
from geo_backend.common.errors import DomainError
from geo_backend.regions.selectors import WEB_PRECISION, edition_resolve
from geo_backend.zones.api_views import FILTER_PARAMETERS, FilterParams
from geo_backend.zones.selectors import InterventionFilters

from . import selectors

GEOJSON = "application/geo+json"
# HXL hashtags for the CSV exports, so humanitarian tools recognise the columns. Only hashtags and attributes of
# the HXL dictionary (etl.hxl); a measure the dictionary has no word for stays untagged.
# The unit's P-code and name are tagged by level (#adm2+code; #country+code for level 0).
HXL = {"women": "#population+f", "organisations": "#org+num", "interventions": "#activity+num",
       "population": "#population+total"}
UNIT_COLUMNS = {"pcode": "code", "name": "name"}


class AnalyticsParams(FilterParams):
    edition = serializers.SlugField(required=False)
    level = serializers.IntegerField(min_value=0, max_value=3, default=2)
    include_unvalidated = serializers.BooleanField(default=False)
    format = serializers.ChoiceField(choices=["geojson", "json", "csv"], default="geojson")


def coverage_query(request) -> tuple[selectors.CoverageQuery, str]:
    params = AnalyticsParams(data=request.query_params)
    if not params.is_valid():
        raise DomainError("invalid_parameters", "Paramètres invalides.", "Invalid parameters.", details=params.errors)
    data = dict(params.validated_data)
    edition = edition_resolve(data.pop("edition", None))
    level, include_unvalidated, output = data.pop("level"), data.pop("include_unvalidated"), data.pop("format")
    data.pop("geometry", None)  # units always come with their web geometry
    if "theme" in data:
        data["themes"] = [code.strip() for code in data.pop("theme").split(",") if code.strip()]
    query = selectors.CoverageQuery(edition=edition, level=level, filters=InterventionFilters(**data),
                                    include_unvalidated=include_unvalidated)
    return query, output


def rounded(row: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}


def units_response(rows: list[dict], query: selectors.CoverageQuery, output: str, name: str) -> HttpResponse:
    rows = [rounded(row) for row in rows]
    if output == "csv":
        return csv_response(rows, query.level, name)
    if output == "json":
        return HttpResponse(json.dumps({"count": len(rows), "results": rows}), content_type="application/json")
    # Web geometries come as GeoJSON text from PostGIS and are spliced in without re-parsing.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pcode, ST_AsGeoJSON(web_geom, %s) FROM regions_adminunit "
                       "WHERE edition_id = %s AND pcode = ANY(%s)",
                       [WEB_PRECISION, query.edition.id, [row["pcode"] for row in rows]])
        geometries = dict(cursor.fetchall())
    features = ",".join(
        f'{{"type":"Feature","id":{json.dumps(row["pcode"])},"geometry":{geometries[row["pcode"]]},'
        f'"properties":{json.dumps(row)}}}'
        for row in rows
    )
    return HttpResponse(f'{{"type":"FeatureCollection","features":[{features}]}}', content_type=GEOJSON)


def csv_response(rows: list[dict], level: int, name: str) -> HttpResponse:
    columns = list(rows[0]) if rows else [*UNIT_COLUMNS, *HXL]
    tags = [admin_tag(level, UNIT_COLUMNS[c]) if c in UNIT_COLUMNS else HXL.get(c) for c in columns]
    body = csv_bytes(columns, ([row.get(c) for c in columns] for row in rows), tags)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="musoya-{name}.csv"'
    return response


ANALYTICS_PARAMETERS = [
    OpenApiParameter("level", int, description="0 country, 1 region, 2 cercle, 3 commune"),
    OpenApiParameter("edition", str),
    OpenApiParameter("include_unvalidated", bool, description="Count submitted and draft declarations too"),
    OpenApiParameter("format", str, enum=["geojson", "json", "csv"]),
    *[p for p in FILTER_PARAMETERS if p.name not in ("limit", "offset", "validation_state", "geometry")],
]


class CoverageView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="analytics_coverage", parameters=ANALYTICS_PARAMETERS,
                   responses={(200, GEOJSON): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR},
                   summary="Coverage per unit: organisations, interventions, area and women covered")
    def get(self, request):
        query, output = coverage_query(request)
        return units_response(selectors.coverage_by_unit(audience(request), query), query, output, "couverture")


class GapsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="analytics_gaps", parameters=ANALYTICS_PARAMETERS,
                   responses={(200, GEOJSON): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR},
                   summary="Underserved units (no coverage for the filters), most women first")
    def get(self, request):
        query, output = coverage_query(request)
        return units_response(selectors.gaps(audience(request), query), query, output, "zones-blanches")


class ChangeParams(serializers.Serializer):
    before = serializers.DateField()
    after = serializers.DateField()


class CoverageChangeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="analytics_changes", summary="Units whose covered women fell between two dates",
                   parameters=[*ANALYTICS_PARAMETERS, OpenApiParameter("before", OpenApiTypes.DATE, required=True),
                               OpenApiParameter("after", OpenApiTypes.DATE, required=True)],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        dates = ChangeParams(data=request.query_params)
        if not dates.is_valid():
            raise DomainError("invalid_parameters", "Indiquez les dates before et after.",
                              "Give the dates before and after.", details=dates.errors)
        params = request.query_params.copy()
        for key in ("before", "after"):
            params.pop(key, None)
        request._request.GET = params
        query, output = coverage_query(request)
        rows = selectors.coverage_change(audience(request), query, **dates.validated_data)
        return units_response(rows, query, output, "baisses-de-couverture")


class OverlapsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="analytics_overlaps", parameters=ANALYTICS_PARAMETERS, responses=OpenApiTypes.OBJECT,
                   summary="Possible duplication: overlapping interventions of different organisations")
    def get(self, request):
        query, output = coverage_query(request)
        report = selectors.overlaps(audience(request), query)
        if output == "csv":
            rows = [{"first": p["interventions"][0]["title"], "first_organisation":
                     p["interventions"][0]["organisation"]["name"], "second": p["interventions"][1]["title"],
                     "second_organisation": p["interventions"][1]["organisation"]["name"],
                     "themes": " ".join(p["themes"]), "shared_km2": p["shared_km2"], "women_shared": p["women_shared"],
                     "period_start": p["shared_period"]["start"], "period_end": p["shared_period"]["end"]}
                    for p in report["pairs"]]
            return csv_response([rounded(r) for r in rows], query.level, "chevauchements")
        return Response(json.loads(json.dumps(report, default=str)))


class RollupParams(serializers.Serializer):
    by = serializers.ChoiceField(choices=["network", "funder"], default="network")


class RollupView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="analytics_rollups", summary="National coverage per network or per funder",
                   parameters=[*ANALYTICS_PARAMETERS, OpenApiParameter("by", str, enum=["network", "funder"])],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        by = RollupParams(data=request.query_params)
        if not by.is_valid():
            raise DomainError("invalid_parameters", "Paramètre « by » invalide : network ou funder.",
                              "Invalid \"by\" parameter: network or funder.", details=by.errors)
        params = request.query_params.copy()
        params.pop("by", None)
        request._request.GET = params
        query, _output = coverage_query(request)
        rows = selectors.coverage_rollup(audience(request), query, by=by.validated_data["by"])
        return Response({"count": len(rows), "results": [rounded(r) for r in rows]})
