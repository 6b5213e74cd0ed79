"""Input shapes of the organisation, network and membership endpoints."""
from rest_framework import serializers

from geo_backend.api.helpers import StrictSerializer
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
    description = serializers.CharField(required=False, allow_blank=True)
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
