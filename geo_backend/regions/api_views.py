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
from .layer_pointer import pointer_ensure
from .layer_store import areas_parameters, rendered_layer, tile_parameters

GEOJSON = "application/geo+json"
# Boundaries change only when an edition is (re)loaded: phones may keep a layer an hour, then revalidate by ETag.
REFERENCE_CACHE_CONTROL = "public, max-age=3600"


def reference_response(content, content_type) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = REFERENCE_CACHE_CONTROL
    return response


def stored_layer_response(request, *, edition, kind: str, parameters: str, content_type: str,
                          render) -> HttpResponse:
    """A layer rendered once per version of the edition's boundaries (layer_store), in the encoding the client
    accepts, with its ETag (ConditionalGetMiddleware answers 304 to a matching If-None-Match). The site's own
    variants are answered the same way by layer_middleware once this worker has them; it needs the pointer."""
    layer = rendered_layer(edition=edition, kind=kind, parameters=parameters, content_type=content_type,
                           render=render)
    pointer_ensure(edition)
    body, encoding = layer.encoded(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    response = reference_response(body, content_type)
    if encoding:
        response["Content-Encoding"] = encoding  # GZipMiddleware leaves an encoded response alone
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = layer.etag
    return response


class AreaListView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = AreaListParameters

    @extend_schema(operation_id="areas_list", summary="Admin units as a GeoJSON FeatureCollection",
                   responses={(200, GEOJSON): AreaCollection, **errors(404)})
    def get(self, request):
        params = self.params
        edition = selectors.edition_resolve(params.get("edition"))

        def render():
            return selectors.areas_feature_collection(
                edition=edition, level=params.get("level"), parent=params.get("parent"), q=params.get("q"),
                contains=params.get("contains"), bbox=params.get("bbox"),
                full_geometry=params["geometry"] == "full",
            )

        if any(params.get(name) for name in ("q", "contains", "bbox")):  # searches: too many to store
            return reference_response(render(), GEOJSON)
        # The filter compares upper-case P-codes: areas_parameters stores ?parent=ml01 and ML01 once.
        parameters = areas_parameters(level=params.get("level"), parent=params.get("parent"),
                                      geometry=params["geometry"])
        return stored_layer_response(request, edition=edition, kind="areas", parameters=parameters,
                                     content_type=GEOJSON, render=lambda: render().encode())


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
        level = self.params.get("level")
        selectors.area_tile_check(z=z, x=x, y=y)  # refused before anything is stored under its key
        return stored_layer_response(
            request, edition=edition, kind="tile", parameters=tile_parameters(z=z, x=x, y=y, level=level),
            content_type="application/vnd.mapbox-vector-tile",
            render=lambda: selectors.area_tile(edition=edition, z=z, x=x, y=y, level=level))
