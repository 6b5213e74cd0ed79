"""GeoJSON shapes for the OpenAPI schema. The bodies themselves are built by PostGIS (ST_AsGeoJSON, json_agg);
these serializers only describe them.

A Feature is a djangorestframework-gis GeoFeatureModelSerializer: drf-spectacular's rest_framework_gis extension
turns it into {type: Feature, id, geometry, properties} with the geometry schema of the model field it names (a
MultiPolygon for admin units and zones). A FeatureCollection is described here, because ours may carry paging
members (count, next, previous) beside the features.
"""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def geojson_type(name: str) -> serializers.CharField:
    """The GeoJSON "type" member, a single constant ("Feature", "FeatureCollection")."""

    @extend_schema_field({"type": "string", "enum": [name]})
    class TypeField(serializers.CharField):
        pass

    return TypeField()


def _name_collection_enum() -> None:
    """Names the {"enum": ["FeatureCollection"]} schema component as drf-spectacular's rest_framework_gis extension
    does for its own collections (it names "Feature" likewise), instead of a collision-resolved "Type2a9Enum"."""
    from drf_spectacular.settings import spectacular_settings

    spectacular_settings.ENUM_NAME_OVERRIDES.setdefault("GisFeatureCollectionEnum", ("FeatureCollection",))


def feature_collection(feature: type[serializers.Serializer], name: str, *, paged: bool = False,
                       help_text: str = "") -> type[serializers.Serializer]:
    """A serializer class (schema component `name`) for a FeatureCollection of `feature`, with paging members."""
    _name_collection_enum()
    fields = {"type": geojson_type("FeatureCollection"), "features": serializers.ListField(child=feature())}
    if paged:
        fields |= {
            "count": serializers.IntegerField(help_text="Number of features matching, over all pages."),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
        }
    return type(name, (serializers.Serializer,), {**fields, "__doc__": help_text or f"A FeatureCollection of "
                                                                                     f"{feature.__name__}."})


def page_of(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """A serializer class (schema component `name`) for one page of a JSON list: count, next, previous, results."""
    return type(name, (serializers.Serializer,), {
        "count": serializers.IntegerField(help_text="Number of results matching, over all pages."),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": serializers.ListField(child=item()),
        "__doc__": f"One page of {item.__name__}.",
    })

