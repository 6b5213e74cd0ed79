"""Query parameters and response shapes of the geographic reference API (the bodies are built by PostGIS)."""
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_backend.api.geojson import feature_collection
from geo_backend.api.query import BBoxField, PointField, QueryParameters

from .models import AdminUnit
from .models import Locality as LocalityModel

PCODE_MAX = 20


# --- Query parameters ----------------------------------------------------------------------------------------


class EditionParameter(QueryParameters):
    edition = serializers.SlugField(required=False, max_length=50,
                                    help_text="Edition slug, e.g. cod-ab-2015 (default: the default edition).")


class AreaListParameters(EditionParameter):
    level = serializers.IntegerField(required=False, min_value=0, max_value=4,
                                     help_text="0 country, 1 region, 2 cercle, 3 commune, 4 quartier.")
    parent = serializers.CharField(required=False, max_length=PCODE_MAX, help_text="P-code of the parent unit.")
    q = serializers.CharField(required=False, max_length=100,
                              help_text="Name or P-code search, accent- and spelling-tolerant.")
    contains = PointField(required=False, help_text="Only the units containing the point lon,lat.")
    bbox = BBoxField(required=False)
    geometry = serializers.ChoiceField(choices=["web", "full"], default="web",
                                       help_text="Simplified for the web (default) or full resolution.")


class AreaPath(QueryParameters):
    pcode = serializers.RegexField(r"^[A-Za-z0-9]+$", max_length=PCODE_MAX,
                                   help_text="P-code of the unit (letters and digits), e.g. ML0401.")


class AreaDetailParameters(EditionParameter):
    scheme = serializers.CharField(required=False, max_length=30,
                                   help_text="Read the P-code in another scheme, e.g. hdx2017.")


class LocalitySearchParameters(EditionParameter):
    q = serializers.CharField(min_length=2, max_length=100, help_text="Name of the place (2 characters or more).")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class LocalityLabelParameters(EditionParameter):
    max_class = serializers.IntegerField(
        required=False, min_value=1, max_value=5, default=4,
        help_text="Places of this class and the more important ones: 1 Bamako, 2 region seats, 3 cercle seats, "
                  "4 commune seats, 5 villages (then a bbox is required).")
    bbox = BBoxField(required=False)

    def validate(self, attrs):
        if attrs.get("max_class") == 5 and not attrs.get("bbox"):
            raise serializers.ValidationError({"bbox": "Requis avec max_class=5 / required with max_class=5."})
        return attrs


class TileParameters(EditionParameter):
    level = serializers.IntegerField(required=False, min_value=0, max_value=4,
                                     help_text="Admin level (default: by zoom).")


# --- Responses -----------------------------------------------------------------------------------------------


class AreaFeature(GeoFeatureModelSerializer):
    """An admin unit with its population (2017), in web (simplified) or full geometry."""

    feature_id = serializers.CharField(help_text="The unit's P-code.")
    parent_pcode = serializers.CharField(allow_null=True)
    area_km2 = serializers.FloatField()
    women_2017 = serializers.IntegerField(allow_null=True)
    population_2017 = serializers.IntegerField(allow_null=True)

    class Meta:
        model = AdminUnit
        geo_field = "web_geom"
        id_field = "feature_id"
        fields = ["feature_id", "web_geom", "pcode", "name", "level", "parent_pcode", "area_km2", "women_2017",
                  "population_2017"]


AreaCollection = feature_collection(AreaFeature, "AreaCollection")


class UnitRef(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class UnitPopulation(serializers.Serializer):
    year = serializers.IntegerField()
    female = serializers.IntegerField(allow_null=True)
    male = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)


class UnitAlias(serializers.Serializer):
    scheme = serializers.CharField()
    pcode = serializers.CharField()
    name = serializers.CharField(allow_blank=True)


class AreaDetailFeature(GeoFeatureModelSerializer):
    """One admin unit: parent chain, children, population by sex and year, its codes in other schemes."""

    feature_id = serializers.CharField(help_text="The unit's P-code.")
    level_label = serializers.CharField()
    edition = serializers.CharField()
    alt_names = serializers.ListField(child=serializers.CharField())
    area_km2 = serializers.FloatField()
    parents = UnitRef(many=True)
    children = UnitRef(many=True)
    population = UnitPopulation(many=True)
    aliases = UnitAlias(many=True)

    class Meta:
        model = AdminUnit
        geo_field = "web_geom"
        id_field = "feature_id"
        fields = ["feature_id", "web_geom", "pcode", "name", "level", "level_label", "edition", "alt_names",
                  "area_km2", "parents", "children", "population", "aliases"]


class Locality(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    place_class = serializers.IntegerField()
    commune_pcode = serializers.CharField(allow_null=True)
    commune_name = serializers.CharField(allow_null=True)
    lon = serializers.FloatField()
    lat = serializers.FloatField()


class LocalityLabel(GeoFeatureModelSerializer):
    """A place's label: its name and class, at its point."""

    class Meta:
        model = LocalityModel
        geo_field = "geom"
        id_field = False
        fields = ["geom", "pcode", "name", "place_class"]


LocalityLabelCollection = feature_collection(LocalityLabel, "LocalityLabelCollection")


class LocalityResults(serializers.Serializer):
    count = serializers.IntegerField()
    results = Locality(many=True)
