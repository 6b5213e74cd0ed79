"""Query parameters, bodies and response shapes of the intervention and zone endpoints (validation and
description only; the services write, the selectors build the bodies)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geo_backend.api.geojson import feature_collection, page_of
from geo_backend.api.helpers import StrictSerializer
from geo_backend.api.query import BBoxField, PageParameters, QueryParameters, ThemeCodesField, id_field
from geo_backend.common.limits import DESCRIPTION_MAX_LENGTH
from geo_backend.organisations.models import Organisation
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme

from .models import MAX_PEOPLE, Intervention, Sensitivity, Zone
from .selectors import InterventionFilters

# --- Query parameters ----------------------------------------------------------------------------------------


class InterventionFilterParameters(QueryParameters):
    """Filters shared by the intervention list, the zones and the coverage analytics."""

    theme = ThemeCodesField(required=False)
    organisation = id_field(required=False)
    network = id_field(required=False, help_text="Interventions of the network's members, or declared by it.")
    area = serializers.CharField(required=False, max_length=20, help_text="P-code of a region, cercle or commune.")
    active_on = serializers.DateField(required=False)
    active_from = serializers.DateField(required=False)
    active_to = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=Intervention.Status.choices, required=False)
    funder = id_field(required=False)
    bbox = BBoxField(required=False)


class ZoneTileParameters(InterventionFilterParameters):
    """The map's filters; the tile itself is the box, so no bbox."""

    bbox = None


class InterventionListParameters(InterventionFilterParameters, PageParameters):
    validation_state = serializers.ChoiceField(choices=Intervention.Validation.choices, required=False)


class ZoneListParameters(InterventionListParameters):
    geometry = serializers.ChoiceField(
        choices=["full", "web"], default="full",
        help_text="web: simplified (~200 m), rounded (~10 m) and fewer properties, for maps on slow links.")


def intervention_filters(params: dict) -> InterventionFilters:
    """The selectors' filters from validated InterventionFilterParameters (other parameters are ignored)."""
    names = set(InterventionFilterParameters().fields) | {"validation_state"}
    values = {name: value for name, value in params.items() if name in names}
    if "theme" in values:
        values["themes"] = values.pop("theme")
    return InterventionFilters(**values)



class CodeList(serializers.ListField):
    """A list of codes of a vocabulary model, returned as model instances."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(child=serializers.CharField(max_length=60), **kwargs)

    def to_internal_value(self, data):
        codes = super().to_internal_value(data)
        found = {obj.code: obj for obj in self.model.objects.filter(code__in=codes, is_active=True)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(f"Codes inconnus / unknown codes: {', '.join(unknown)}")
        return [found[code] for code in codes]


class InterventionInput(StrictSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    themes = CodeList(Theme)
    action_kinds = CodeList(ActionKind, required=False)
    target_groups = CodeList(TargetGroup, required=False)
    funders = serializers.PrimaryKeyRelatedField(queryset=Funder.objects.all(), many=True, required=False)
    partners = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Intervention.Status.choices, required=False)
    gender_marker = serializers.ChoiceField(choices=Intervention.GenderMarker.choices, required=False, allow_null=True)
    women_targeted = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE, required=False, allow_null=True)
    women_reached = serializers.IntegerField(min_value=0, max_value=MAX_PEOPLE, required=False, allow_null=True)
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices, required=False)
    last_confirmed_on = serializers.DateField(required=False, allow_null=True)
    declared_by_network = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                             allow_null=True)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "La fin précède le début / the end is before the start."})
        return attrs


class InterventionCreateInput(InterventionInput):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    submit = serializers.BooleanField(required=False, default=False)


RELATION_FIELDS = ("themes", "action_kinds", "target_groups", "funders", "partners")


def split_relations(data: dict) -> tuple[dict, dict]:
    """Separates many-to-many relations from plain fields."""
    relations = {name: data.pop(name) for name in RELATION_FIELDS if name in data}
    return data, relations


class RejectInput(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class RestoreInput(StrictSerializer):
    event = serializers.IntegerField(min_value=1)


@extend_schema_field({
    "type": "object",
    "description": "A GeoJSON Polygon or MultiPolygon (bare, or inside a Feature), in WGS 84 longitude/latitude "
                   "unless a \"crs\" member names another CRS.",
    "properties": {"type": {"type": "string", "enum": ["Polygon", "MultiPolygon", "Feature"]}},
    "required": ["type"],
})
class ZoneGeometryField(serializers.JSONField):
    """The drawn geometry, checked by zones.geometry.parse_zone_geometry (which reports each mistake by name)."""


class ZoneInput(StrictSerializer):
    """A zone: drawn (geometry, GeoJSON), picked (units, P-codes) or a radius around a locality."""

    method = serializers.ChoiceField(choices=Zone.Method.choices)
    geometry = ZoneGeometryField(required=False)
    units = serializers.ListField(child=serializers.CharField(max_length=20), required=False, max_length=200)
    locality = serializers.CharField(max_length=20, required=False)
    radius_km = serializers.FloatField(required=False)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True)
    edition = serializers.SlugField(required=False)


class ZoneCreateInput(ZoneInput):
    # An id only: the view looks it up among the interventions the caller may see (404 otherwise).
    intervention = serializers.IntegerField(min_value=1)


# --- Responses -----------------------------------------------------------------------------------------------


class OrganisationBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InterventionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    organisation = OrganisationBrief()
    declared_by_network = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    themes = serializers.ListField(child=serializers.CharField())
    action_kinds = serializers.ListField(child=serializers.CharField())
    target_groups = serializers.ListField(child=serializers.CharField())
    funders = serializers.ListField(child=serializers.CharField(), help_text="Funder names.")
    partners = serializers.ListField(child=serializers.IntegerField(), help_text="Partner organisation ids.")
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=Intervention.Status.choices)
    gender_marker = serializers.ChoiceField(choices=Intervention.GenderMarker.choices, allow_null=True)
    women_targeted = serializers.IntegerField(allow_null=True)
    women_reached = serializers.IntegerField(allow_null=True)
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices)
    validation_state = serializers.ChoiceField(choices=Intervention.Validation.choices)
    rejection_reason = serializers.CharField(allow_blank=True)
    last_confirmed_on = serializers.DateField(allow_null=True)
    is_demo = serializers.BooleanField()
    zones = serializers.ListField(child=serializers.IntegerField())
    updated_at = serializers.DateTimeField()


InterventionPage = page_of(InterventionOutput, "InterventionPage")


class ZoneOrganisation(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    name = serializers.CharField()
    acronym = serializers.CharField(required=False, allow_blank=True)
    slug = serializers.CharField()


class ZoneCommune(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    share = serializers.FloatField(required=False, help_text="Share of the commune covered (exact zones only).")


class Repair(serializers.Serializer):
    """An automatic fix made to a drawn geometry, explained in French and English."""

    code = serializers.CharField()
    fr = serializers.CharField()
    en = serializers.CharField()


PRECISIONS = [("exact", "exact zone"), ("communes", "the whole communes it touches (coarse)")]


class ZoneFeature(GeoFeatureModelSerializer):
    """A zone as the caller may see it: exact, or as the communes it touches. With geometry=web the properties are
    only those a map needs (zone, intervention, title, is_demo, precision, organisation, themes)."""

    zone = serializers.IntegerField()
    zone_version = serializers.IntegerField()
    method = serializers.ChoiceField(choices=Zone.Method.choices)
    precision = serializers.ChoiceField(choices=PRECISIONS)
    area_km2 = serializers.FloatField(allow_null=True)
    intervention = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Intervention.Status.choices)
    validation_state = serializers.ChoiceField(choices=Intervention.Validation.choices)
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    is_demo = serializers.BooleanField()
    organisation = ZoneOrganisation()
    themes = serializers.ListField(child=serializers.CharField())
    communes = ZoneCommune(many=True, required=False, help_text="One zone only (not in lists).")
    repairs = Repair(many=True, required=False, help_text="After a create or update, when the geometry was fixed.")

    class Meta:
        model = Zone
        geo_field = "geom"
        id_field = "id"
        fields = ["id", "geom", "zone", "zone_version", "method", "label", "precision", "area_km2", "intervention",
                  "title", "status", "validation_state", "sensitivity", "start_date", "end_date", "is_demo",
                  "organisation", "themes", "communes", "repairs"]


ZoneCollection = feature_collection(ZoneFeature, "ZoneCollection", paged=True)


class ZonePreviewFeature(GeoFeatureModelSerializer):
    """What a zone would be, not saved: its geometry clipped to Mali, area and the communes it touches."""

    area_km2 = serializers.FloatField()
    communes = ZoneCommune(many=True)
    repairs = Repair(many=True)

    class Meta:
        model = Zone
        geo_field = "geom"
        id_field = False
        fields = ["geom", "area_km2", "communes", "repairs"]
