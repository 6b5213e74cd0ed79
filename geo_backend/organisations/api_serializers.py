"""Query parameters, bodies and response shapes of the organisation, network and membership endpoints."""
from rest_framework import serializers

from geo_backend.api.geojson import page_of
from geo_backend.api.helpers import StrictSerializer
from geo_backend.api.query import PageParameters, ThemeCodeField, id_field
from geo_backend.common.limits import DESCRIPTION_MAX_LENGTH
from geo_backend.regions.models import Locality

from .models import Contact, Membership, Organisation, Visibility


class ContactInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=Contact.Kind.choices)
    value = serializers.CharField(max_length=200)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PRIVATE)


class OrganisationInput(StrictSerializer):
    name = serializers.CharField(max_length=200)
    acronym = serializers.CharField(max_length=40, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    head_office = serializers.SlugRelatedField(slug_field="pcode", queryset=Locality.objects.all(), required=False,
                                               allow_null=True)
    founded_year = serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True)
    website = serializers.URLField(required=False, allow_blank=True)
    contacts = ContactInput(many=True, required=False)


class OrganisationUpdateInput(OrganisationInput):
    status = serializers.ChoiceField(choices=Organisation.Status.choices, required=False)


class MembershipInput(StrictSerializer):
    network = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    member = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)


# --- Query parameters ----------------------------------------------------------------------------------------


class OrganisationListParameters(PageParameters):
    q = serializers.CharField(required=False, max_length=100, help_text="Name or acronym, accent-insensitive.")
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    theme = ThemeCodeField(required=False, help_text="Organisations with a visible intervention on this theme.")
    area = serializers.CharField(required=False, max_length=20,
                                 help_text="P-code of a region, cercle or commune they work in.")


class MembershipListParameters(PageParameters):
    network = id_field(required=False)
    member = id_field(required=False)
    status = serializers.ChoiceField(choices=Membership.Status.choices, required=False)


# --- Responses -----------------------------------------------------------------------------------------------


class OrganisationSummary(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    acronym = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    is_network = serializers.BooleanField()
    status = serializers.ChoiceField(choices=Organisation.Status.choices)
    is_demo = serializers.BooleanField()
    version = serializers.IntegerField()


OrganisationPage = page_of(OrganisationSummary, "OrganisationPage")


class ContactOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Contact.Kind.choices)
    value = serializers.CharField()
    label = serializers.CharField(allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices)


class MembershipLink(serializers.Serializer):
    id = serializers.IntegerField(help_text="The other organisation's id.")
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    since = serializers.DateField(allow_null=True)


class OrganisationDetail(OrganisationSummary):
    description = serializers.CharField(allow_blank=True)
    ocha_type = serializers.CharField(allow_blank=True, allow_null=True)
    head_office = serializers.CharField(allow_null=True, help_text="Name of the head office's locality.")
    founded_year = serializers.IntegerField(allow_null=True)
    website = serializers.CharField(allow_blank=True)
    contacts = ContactOutput(many=True, help_text="Only the contacts the caller may see.")
    networks = MembershipLink(many=True)
    members = MembershipLink(many=True)
    themes = serializers.ListField(child=serializers.CharField())
    interventions = serializers.IntegerField(help_text="Number of interventions the caller may see.")


class HistoryEvent(serializers.Serializer):
    event = serializers.CharField(help_text="Event reference, to restore this version.")
    model = serializers.CharField()
    object_id = serializers.IntegerField()
    action = serializers.CharField()
    at = serializers.DateTimeField()
    user = serializers.IntegerField(allow_null=True, help_text="Id of the person who made the change.")
    url = serializers.CharField(allow_null=True)
    changes = serializers.DictField(child=serializers.DictField())


class OrganisationHistory(serializers.Serializer):
    organisation = serializers.IntegerField()
    events = HistoryEvent(many=True)


class RestoreEventInput(StrictSerializer):
    event = serializers.IntegerField(min_value=1, help_text="Id of the history event to bring back.")


class NamedRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MembershipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    network = NamedRef()
    member = NamedRef()
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    status = serializers.ChoiceField(choices=Membership.Status.choices)
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


MembershipPage = page_of(MembershipOutput, "MembershipPage")
