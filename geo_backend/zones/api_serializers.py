"""Input shapes of the intervention and zone endpoints (validation only; the services do the writing)."""
from rest_framework import serializers

from geo_backend.api.helpers import StrictSerializer
from geo_backend.organisations.models import Organisation
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme

from .models import Intervention, Sensitivity, Zone


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
    description = serializers.CharField(required=False, allow_blank=True)
    themes = CodeList(Theme)
    action_kinds = CodeList(ActionKind, required=False)
    target_groups = CodeList(TargetGroup, required=False)
    funders = serializers.PrimaryKeyRelatedField(queryset=Funder.objects.all(), many=True, required=False)
    partners = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Intervention.Status.choices, required=False)
    gender_marker = serializers.ChoiceField(choices=Intervention.GenderMarker.choices, required=False, allow_null=True)
    women_targeted = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    women_reached = serializers.IntegerField(min_value=0, required=False, allow_null=True)
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


class ZoneInput(StrictSerializer):
    """A zone: drawn (geometry, GeoJSON), picked (units, P-codes) or a radius around a locality."""

    method = serializers.ChoiceField(choices=Zone.Method.choices)
    geometry = serializers.JSONField(required=False)
    units = serializers.ListField(child=serializers.CharField(max_length=20), required=False, max_length=200)
    locality = serializers.CharField(max_length=20, required=False)
    radius_km = serializers.FloatField(required=False)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True)
    edition = serializers.SlugField(required=False)


class ZoneCreateInput(ZoneInput):
    # An id only: the view looks it up among the interventions the caller may see (404 otherwise).
    intervention = serializers.IntegerField(min_value=1)
