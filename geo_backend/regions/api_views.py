"""Public read-only API of the geographic reference. Thin: parameters declared (api_serializers), a selector, the
PostGIS-built body."""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView

from . import selectors
from .api_serializers import (
    AreaCollection,
    AreaDetailFeature,
    AreaDetailParameters,
    AreaListParameters,
    AreaPath,
    LocalityLabelCollection,
    LocalityLabelParameters,
    LocalityResults,
    LocalitySearchParameters,
    TileParameters,
)

GEOJSON = "application/geo+json"
# Boundaries change only when an edition is (re)loaded: phones may keep a layer an hour, then revalidate by ETag.
REFERENCE_CACHE_CONTROL = "public, max-age=3600"


def reference_response(content, content_type) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = REFERENCE_CACHE_CONTROL
    return response


class AreaListView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = AreaListParameters

    @extend_schema(operation_id="areas_list", summary="Admin units as a GeoJSON FeatureCollection",
                   responses={(200, GEOJSON): AreaCollection, **errors(404)})
    def get(self, request):
        params = self.params
        edition = selectors.edition_resolve(params.get("edition"))
        body = selectors.areas_feature_collection(
            edition=edition, level=params.get("level"), parent=params.get("parent"), q=params.get("q"),
            contains=params.get("contains"), bbox=params.get("bbox"), full_geometry=params["geometry"] == "full",
        )
        return reference_response(body, GEOJSON)


class AreaDetailView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = AreaDetailParameters
    path_serializer = AreaPath

    @extend_schema(operation_id="areas_retrieve",
                   summary="One admin unit: parent chain, children, population, alias codes",
                   responses={200: AreaDetailFeature})
    def get(self, request, pcode):
        edition = selectors.edition_resolve(self.params.get("edition"))
        response = Response(selectors.area_detail(edition=edition, pcode=self.path_params["pcode"],
                                                  scheme=self.params.get("scheme")))
        response["Cache-Control"] = REFERENCE_CACHE_CONTROL
        return response


class LocalitySearchView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = LocalitySearchParameters

    @extend_schema(operation_id="localities_search",
                   summary="Search populated places by name (for the village search box)",
                   responses={200: LocalityResults, **errors(404)})
    def get(self, request):
        edition = selectors.edition_resolve(self.params.get("edition"))
        results = selectors.localities_search(edition=edition, q=self.params["q"], limit=self.params["limit"])
        response = Response({"count": len(results), "results": results})
        response["Cache-Control"] = REFERENCE_CACHE_CONTROL
        return response


class LocalityLabelsView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = LocalityLabelParameters

    @extend_schema(operation_id="localities_labels",
                   summary="Places as labels for the map: towns by importance, villages of a bbox",
                   responses={(200, GEOJSON): LocalityLabelCollection, **errors(404)})
    def get(self, request):
        edition = selectors.edition_resolve(self.params.get("edition"))
        body = selectors.locality_labels(edition=edition, max_class=self.params["max_class"],
                                         bbox=self.params.get("bbox"))
        return reference_response(body, GEOJSON)


class AreaTileView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = TileParameters

    @extend_schema(operation_id="areas_tile", summary="Mapbox vector tile of admin units (layer 'areas')",
                   responses={(200, "application/vnd.mapbox-vector-tile"): OpenApiTypes.BINARY})
    def get(self, request, z, x, y):
        edition = selectors.edition_resolve(self.params.get("edition"))
        tile = selectors.area_tile(edition=edition, z=z, x=x, y=y, level=self.params.get("level"))
        return reference_response(tile, "application/vnd.mapbox-vector-tile")
