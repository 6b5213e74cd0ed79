"""Public read-only API of the geographic reference. Thin: validate parameters, call a selector, respond."""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_backend.common.errors import DomainError

from . import selectors

GEOJSON = "application/geo+json"
# Boundaries change only when an edition is (re)loaded: phones may keep a layer an hour, then revalidate by ETag.
REFERENCE_CACHE_CONTROL = "public, max-age=3600"


class PointField(serializers.CharField):
    """"lon,lat" in decimal degrees."""

    def to_internal_value(self, data):
        try:
            lon, lat = (float(part) for part in str(data).split(","))
        except ValueError:
            raise DomainError("invalid_point", "Point attendu sous la forme « lon,lat » (degrés décimaux).",
                              "Expected a point as \"lon,lat\" (decimal degrees).") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise DomainError("invalid_point", "Coordonnées hors limites (longitude puis latitude).",
                              "Coordinates out of range (longitude first, then latitude).")
        return (lon, lat)


class AreaListParams(serializers.Serializer):
    edition = serializers.SlugField(required=False)
    level = serializers.IntegerField(required=False, min_value=0, max_value=4)
    parent = serializers.CharField(required=False, max_length=20)
    q = serializers.CharField(required=False, max_length=100)
    contains = PointField(required=False)
    geometry = serializers.ChoiceField(choices=["web", "full"], default="web")


def validated(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        raise DomainError("invalid_parameters", "Paramètres invalides.", "Invalid parameters.",
                          details=serializer.errors)
    return serializer.validated_data


def reference_response(content, content_type) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = REFERENCE_CACHE_CONTROL
    return response


class AreaListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="areas_list",
        summary="Admin units as a GeoJSON FeatureCollection",
        parameters=[
            OpenApiParameter("edition", str, description="Edition slug (default: the default edition)"),
            OpenApiParameter("level", int, description="0 country, 1 region, 2 cercle, 3 commune, 4 quartier"),
            OpenApiParameter("parent", str, description="P-code of the parent unit"),
            OpenApiParameter("q", str, description="Name or P-code search, accent- and spelling-tolerant"),
            OpenApiParameter("contains", str, description="Units containing the point lon,lat"),
            OpenApiParameter("geometry", str, enum=["web", "full"], description="Simplified (default) or full"),
        ],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        params = validated(AreaListParams, request)
        edition = selectors.edition_resolve(params.get("edition"))
        body = selectors.areas_feature_collection(
            edition=edition, level=params.get("level"), parent=params.get("parent"), q=params.get("q"),
            contains=params.get("contains"), full_geometry=params["geometry"] == "full",
        )
        return reference_response(body, GEOJSON)


class AreaDetailParams(serializers.Serializer):
    edition = serializers.SlugField(required=False)
    scheme = serializers.CharField(required=False, max_length=30)


class AreaDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="areas_retrieve",
        summary="One admin unit: parent chain, children, population, alias codes",
        parameters=[
            OpenApiParameter("edition", str),
            OpenApiParameter("scheme", str, description="Read the P-code in another scheme, e.g. hdx2017"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pcode):
        params = validated(AreaDetailParams, request)
        edition = selectors.edition_resolve(params.get("edition"))
        response = Response(selectors.area_detail(edition=edition, pcode=pcode, scheme=params.get("scheme")))
        response["Cache-Control"] = REFERENCE_CACHE_CONTROL
        return response


class LocalitySearchParams(serializers.Serializer):
    edition = serializers.SlugField(required=False)
    q = serializers.CharField(min_length=2, max_length=100)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class LocalitySearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="localities_search",
        summary="Search populated places by name (for the village search box)",
        parameters=[OpenApiParameter("q", str, required=True), OpenApiParameter("limit", int),
                    OpenApiParameter("edition", str)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        params = validated(LocalitySearchParams, request)
        edition = selectors.edition_resolve(params.get("edition"))
        results = selectors.localities_search(edition=edition, q=params["q"], limit=params["limit"])
        response = Response({"count": len(results), "results": results})
        response["Cache-Control"] = REFERENCE_CACHE_CONTROL
        return response


class TileParams(serializers.Serializer):
    edition = serializers.SlugField(required=False)
    level = serializers.IntegerField(required=False, min_value=0, max_value=4)


class AreaTileView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="areas_tile",
        summary="Mapbox vector tile of admin units (layer 'areas')",
        parameters=[OpenApiParameter("level", int), OpenApiParameter("edition", str)],
        responses={(200, "application/vnd.mapbox-vector-tile"): OpenApiTypes.BINARY},
    )
    def get(self, request, z, x, y):
        params = validated(TileParams, request)
        edition = selectors.edition_resolve(params.get("edition"))
        tile = selectors.area_tile(edition=edition, z=z, x=x, y=y, level=params.get("level"))
        return reference_response(tile, "application/vnd.mapbox-vector-tile")
