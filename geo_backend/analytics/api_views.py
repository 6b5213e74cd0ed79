"""Coverage analytics API: /api/v1/analytics/coverage/, /gaps/, /overlaps/, /changes/ and /rollups/.

GeoJSON (units with their measures and web geometry, built by PostGIS), JSON or CSV (with an HXL hashtag row) by
?format=. The parameters of each endpoint are declared in api_serializers.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from etl.hxl import admin_tag, csv_bytes
from geo_backend.api.helpers import audience
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.regions.selectors import edition_resolve, units_feature_collection
from geo_backend.zones.api_serializers import intervention_filters

from . import overlaps, rollups, selectors
from .api_serializers import (
    ChangeParameters,
    CoverageChangeCollection,
    CoverageChangeRows,
    OverlapParameters,
    OverlapReport,
    RollupParameters,
    RollupRows,
    UnitMeasuresCollection,
    UnitMeasuresParameters,
    UnitMeasuresRows,
)

GEOJSON = "application/geo+json"
# HXL hashtags for the CSV exports, so humanitarian tools recognise the columns. Only hashtags and attributes of
# the HXL dictionary (etl.hxl); a measure the dictionary has no word for stays untagged.
# The unit's P-code and name are tagged by level (#adm2+code; #country+code for level 0).
HXL = {"women": "#population+f", "organisations": "#org+num", "interventions": "#activity+num",
       "population": "#population+total"}
UNIT_COLUMNS = {"pcode": "code", "name": "name"}
CSV = "text/csv"


def coverage_query(params: dict, *, level: int | None = None) -> selectors.CoverageQuery:
    """The selectors' query from an endpoint's validated parameters."""
    return selectors.CoverageQuery(edition=edition_resolve(params.get("edition")),
                                   level=params.get("level", 0) if level is None else level,
                                   filters=intervention_filters(params),
                                   include_unvalidated=params["include_unvalidated"])


def rounded(row: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}


def units_response(rows: list[dict], query: selectors.CoverageQuery, output: str, name: str) -> HttpResponse:
    rows = [rounded(row) for row in rows]
    if output == "csv":
        return csv_response(rows, query.level, name)
    if output == "json":
        return Response({"count": len(rows), "results": rows})
    return HttpResponse(units_feature_collection(edition=query.edition, rows=rows), content_type=GEOJSON)


def csv_response(rows: list[dict], level: int, name: str) -> HttpResponse:
    columns = list(rows[0]) if rows else [*UNIT_COLUMNS, *HXL]
    tags = [admin_tag(level, UNIT_COLUMNS[c]) if c in UNIT_COLUMNS else HXL.get(c) for c in columns]
    body = csv_bytes(columns, ([row.get(c) for c in columns] for row in rows), tags)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="musoya-{name}.csv"'
    return response


UNIT_RESPONSES = {(200, GEOJSON): UnitMeasuresCollection, (200, "application/json"): UnitMeasuresRows,
                  (200, CSV): OpenApiTypes.STR, **errors(404)}


class CoverageView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = UnitMeasuresParameters

    @extend_schema(operation_id="analytics_coverage", responses=UNIT_RESPONSES,
                   summary="Coverage per unit: organisations, interventions, area and women covered")
    def get(self, request):
        query = coverage_query(self.params)
        rows = selectors.coverage_by_unit(audience(request), query)
        return units_response(rows, query, self.params["format"], "couverture")


class GapsView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = UnitMeasuresParameters

    @extend_schema(operation_id="analytics_gaps", responses=UNIT_RESPONSES,
                   summary="Underserved units (no coverage for the filters), most women first")
    def get(self, request):
        query = coverage_query(self.params)
        return units_response(selectors.gaps(audience(request), query), query, self.params["format"],
                              "zones-blanches")


class CoverageChangeView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = ChangeParameters

    @extend_schema(operation_id="analytics_changes", summary="Units whose covered women fell between two dates",
                   responses={(200, GEOJSON): CoverageChangeCollection, (200, "application/json"): CoverageChangeRows,
                              (200, CSV): OpenApiTypes.STR, **errors(404)})
    def get(self, request):
        query = coverage_query(self.params)
        rows = selectors.coverage_change(audience(request), query, before=self.params["before"],
                                         after=self.params["after"])
        return units_response(rows, query, self.params["format"], "baisses-de-couverture")


class OverlapsView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = OverlapParameters

    @extend_schema(operation_id="analytics_overlaps",
                   responses={(200, "application/json"): OverlapReport, (200, CSV): OpenApiTypes.STR, **errors(404)},
                   summary="Possible duplication: overlapping interventions of different organisations")
    def get(self, request):
        query = coverage_query(self.params)
        report = overlaps.overlaps(audience(request), query)
        if self.params["format"] == "csv":
            rows = [{"first": p["interventions"][0]["title"], "first_organisation":
                     p["interventions"][0]["organisation"]["name"], "second": p["interventions"][1]["title"],
                     "second_organisation": p["interventions"][1]["organisation"]["name"],
                     "themes": " ".join(p["themes"]), "shared_km2": p["shared_km2"], "women_shared": p["women_shared"],
                     "period_start": p["shared_period"]["start"], "period_end": p["shared_period"]["end"],
                     "coordinated": p["coordinated"]}
                    for p in report["pairs"]]
            return csv_response([rounded(r) for r in rows], query.level, "chevauchements")
        return Response(report)


class RollupView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = RollupParameters

    @extend_schema(operation_id="analytics_rollups", summary="National coverage per network or per funder",
                   responses={(200, "application/json"): RollupRows, (200, CSV): OpenApiTypes.STR, **errors(404)})
    def get(self, request):
        by = self.params["by"]
        rows = [rounded(r) for r in rollups.coverage_rollup(audience(request), coverage_query(self.params, level=0),
                                                              by=by)]
        if self.params["format"] == "csv":
            flat = [{f"{by}_id": r[by]["id"], f"{by}_name": r[by]["name"],
                     **{k: v for k, v in r.items() if k != by}} for r in rows]
            return csv_response(flat, 0, f"par-{'reseau' if by == 'network' else 'bailleur'}")
        return Response({"count": len(rows), "results": rows})
