"""Query parameters and response shapes of the coverage analytics API (the bodies are built by the selectors and,
for GeoJSON, by PostGIS)."""
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_backend.api.geojson import feature_collection
from geo_backend.regions.api_serializers import EditionParameter
from geo_backend.regions.models import AdminUnit
from geo_backend.zones.api_serializers import InterventionFilterParameters, OrganisationBrief
from geo_backend.zones.models import Intervention

# --- Query parameters ----------------------------------------------------------------------------------------


class AnalyticsParameters(InterventionFilterParameters, EditionParameter):
    validation_state = serializers.ChoiceField(
        choices=Intervention.Validation.choices, required=False,
        help_text="Count only interventions in this validation state (default: validated ones).")
    include_unvalidated = serializers.BooleanField(default=False,
                                                   help_text="Count submitted and draft declarations too.")


class UnitMeasuresParameters(AnalyticsParameters):
    level = serializers.IntegerField(min_value=0, max_value=3, default=2,
                                     help_text="0 country, 1 region, 2 cercle, 3 commune.")
    format = serializers.ChoiceField(choices=["geojson", "json", "csv"], default="geojson",
                                     help_text="GeoJSON (units with their web geometry), JSON or CSV (HXL tags).")


class ChangeParameters(UnitMeasuresParameters):
    before = serializers.DateField(help_text="The earlier date.")
    after = serializers.DateField(help_text="The later date.")


class OverlapParameters(AnalyticsParameters):
    level = serializers.IntegerField(min_value=0, max_value=3, default=2,
                                     help_text="Level of the units the overlaps are summed by.")
    format = serializers.ChoiceField(choices=["json", "csv"], default="json")


class RollupParameters(AnalyticsParameters):
    by = serializers.ChoiceField(choices=["network", "funder"], default="network")
    format = serializers.ChoiceField(choices=["json", "csv"], default="json")


# --- Responses -----------------------------------------------------------------------------------------------


class UnitMeasures(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    area_km2 = serializers.FloatField()
    covered_km2 = serializers.FloatField()
    women = serializers.FloatField()
    women_covered = serializers.FloatField()
    population = serializers.FloatField()
    population_covered = serializers.FloatField()
    organisations = serializers.IntegerField()
    interventions = serializers.IntegerField()
    coverage_share = serializers.FloatField()
    women_share_covered = serializers.FloatField()
    women_per_organisation = serializers.FloatField(allow_null=True)


class UnitMeasuresRows(serializers.Serializer):
    count = serializers.IntegerField()
    results = UnitMeasures(many=True)


class UnitMeasuresFeature(GeoFeatureModelSerializer):
    """A unit (web geometry) with its coverage measures as properties."""

    feature_id = serializers.CharField(help_text="The unit's P-code.")
    area_km2 = serializers.FloatField()
    covered_km2 = serializers.FloatField()
    women = serializers.FloatField()
    women_covered = serializers.FloatField()
    population = serializers.FloatField()
    population_covered = serializers.FloatField()
    organisations = serializers.IntegerField()
    interventions = serializers.IntegerField()
    coverage_share = serializers.FloatField()
    women_share_covered = serializers.FloatField()
    women_per_organisation = serializers.FloatField(allow_null=True)

    class Meta:
        model = AdminUnit
        geo_field = "web_geom"
        id_field = "feature_id"
        fields = ["feature_id", "web_geom", "pcode", "name", "level", *list(UnitMeasures().fields)[3:]]


UnitMeasuresCollection = feature_collection(UnitMeasuresFeature, "UnitMeasuresCollection")


class CoverageChange(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    women_covered_before = serializers.FloatField()
    women_covered_after = serializers.FloatField()
    women_lost = serializers.FloatField()
    coverage_share_before = serializers.FloatField()
    coverage_share_after = serializers.FloatField()


class CoverageChangeRows(serializers.Serializer):
    count = serializers.IntegerField()
    results = CoverageChange(many=True)


class CoverageChangeFeature(GeoFeatureModelSerializer):
    """A unit (web geometry) whose covered women fell, with the change as properties."""

    feature_id = serializers.CharField(help_text="The unit's P-code.")
    women_covered_before = serializers.FloatField()
    women_covered_after = serializers.FloatField()
    women_lost = serializers.FloatField()
    coverage_share_before = serializers.FloatField()
    coverage_share_after = serializers.FloatField()

    class Meta:
        model = AdminUnit
        geo_field = "web_geom"
        id_field = "feature_id"
        fields = ["feature_id", "web_geom", "pcode", "name", "level", *list(CoverageChange().fields)[3:]]


CoverageChangeCollection = feature_collection(CoverageChangeFeature, "CoverageChangeCollection")


class InterventionBrief(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = OrganisationBrief()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class SharedPeriod(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)


class OverlapUnit(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    shared_km2 = serializers.FloatField()
    women_shared = serializers.FloatField()


class OverlapPair(serializers.Serializer):
    interventions = InterventionBrief(many=True)
    themes = serializers.ListField(child=serializers.CharField(), help_text="Theme domains they share.")
    shared_km2 = serializers.FloatField()
    women_shared = serializers.FloatField()
    shared_period = SharedPeriod()
    units = OverlapUnit(many=True)


class OverlapsByUnit(OverlapUnit):
    pairs = serializers.IntegerField()


class OverlapsByOrganisations(serializers.Serializer):
    organisations = OrganisationBrief(many=True)
    pairs = serializers.IntegerField()
    shared_km2 = serializers.FloatField()
    women_shared = serializers.FloatField()


class OverlapReport(serializers.Serializer):
    pairs = OverlapPair(many=True)
    by_unit = OverlapsByUnit(many=True)
    by_organisations = OverlapsByOrganisations(many=True)


class Rollup(serializers.Serializer):
    network = OrganisationBrief(required=False, help_text="With by=network.")
    funder = OrganisationBrief(required=False, help_text="With by=funder.")
    organisations = serializers.IntegerField()
    interventions = serializers.IntegerField()
    covered_km2 = serializers.FloatField()
    coverage_share = serializers.FloatField()
    women_covered = serializers.FloatField()
    women_share_covered = serializers.FloatField()
    population_covered = serializers.FloatField()


class RollupRows(serializers.Serializer):
    count = serializers.IntegerField()
    results = Rollup(many=True)
