"""The OpenAPI schema describes the response bodies (GeoJSON included) and the one error shape with its statuses,
and lists each operation's query parameters from the serializer that checks them."""
import re

import pytest
from django.urls import get_resolver

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def resolved(schema, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_response_body_is_typed(schema):
    untyped = []
    for method, path, operation in operations(schema):
        for status, response in operation["responses"].items():
            for media_type, content in (response.get("content") or {}).items():
                body = resolved(schema, content["schema"])
                if body.get("type") == "object" and not body.get("properties"):
                    untyped.append(f"{method} {path} {status} {media_type}")
    assert untyped == []


def test_every_operation_documents_the_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message"}
    assert set(resolved(schema, error["properties"]["message"])["required"]) == {"fr", "en"}
    for method, path, operation in operations(schema):
        statuses = set(operation["responses"])
        assert {"400", "401"} <= statuses, (method, path)
        if method not in ("GET", "HEAD"):
            assert {"403", "413", "429"} <= statuses, (method, path)  # writes are rate-limited
        if "{" in path:
            assert "404" in statuses, (method, path)
        if method in ("PATCH", "PUT", "DELETE") and "{" in path:  # a versioned record (not the caller's token)
            assert {"412", "428"} <= statuses, (method, path)
        for status in statuses - {"200", "201", "204"}:
            refs = {c["schema"]["$ref"] for c in operation["responses"][status]["content"].values()}
            assert refs == {"#/components/schemas/Error"}, (method, path, status)


def test_geojson_components_describe_feature_collections_of_multipolygons(schema):
    components = schema["components"]["schemas"]
    for name in ("AreaCollection", "ZoneCollection", "UnitMeasuresCollection"):
        collection = components[name]["properties"]
        assert collection["type"]["$ref"].endswith("GisFeatureCollectionEnum")
        feature = resolved(schema, collection["features"]["items"])
        assert feature["properties"]["geometry"]["properties"]["type"]["enum"] == ["MultiPolygon"]
        assert resolved(schema, feature["properties"]["type"])["enum"] == ["Feature"]
    assert {"count", "next", "previous"} <= set(components["ZoneCollection"]["properties"])
    zones = schema["paths"]["/api/v1/zones/"]["get"]["responses"]["200"]["content"]
    assert zones["application/geo+json"]["schema"]["$ref"].endswith("/ZoneCollection")


def test_query_parameters_come_from_the_serializers_that_check_them(schema):
    from geo_backend.api.urls import urlpatterns

    for pattern in urlpatterns:
        view = getattr(pattern.callback, "view_class", None)
        query = getattr(view, "query_serializer", None)
        if view is None or not hasattr(view, "get") or query is None:
            continue
        # drf-spectacular names <int:pk> {id}; other path values keep their names ({pcode}, {name}).
        path = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda value: "{id}" if value[1] == "pk" else f"{{{value[1]}}}",
                                   str(pattern.pattern))
        documented = {p["name"] for p in schema["paths"][path]["get"].get("parameters", []) if p["in"] == "query"}
        assert documented == set(query().fields), path
    areas = {p["name"]: p for p in schema["paths"]["/api/v1/areas/"]["get"]["parameters"]}
    assert "minLon,minLat,maxLon,maxLat" in areas["bbox"]["description"]


def test_every_api_view_takes_its_input_through_the_one_layer():
    """Every view of /api/v1/ is an ApiView (declared, checked query parameters; depth-limited JSON) or the token
    view built on the same parser."""
    from geo_backend.api.auth_views import TokenView
    from geo_backend.api.parsers import DepthLimitedJSONParser
    from geo_backend.api.urls import urlpatterns
    from geo_backend.api.views import ApiView

    for pattern in urlpatterns:
        view = pattern.callback.view_class
        assert issubclass(view, ApiView | TokenView), pattern
        assert DepthLimitedJSONParser in view.parser_classes
    for tile in ("/tiles/areas/6/30/29.pbf", "/tiles/zones/6/30/29.pbf"):
        assert issubclass(get_resolver().resolve(tile).func.view_class, ApiView), tile
