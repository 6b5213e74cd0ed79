"""Output shapes of the library's endpoints, for the OpenAPI schema only: the bodies are built by the selectors
(selectors/documents.py, selectors/advocacy.py) and the GeoJSON by PostGIS; these serializers describe them."""
from rest_framework import serializers

from geo_backend.api.geojson import feature_collection, geojson_type, page_of
from geo_backend.organisations.models import Visibility

from .models import Document, DocumentFile, Event, Language, Licence, Recommendation


class OrganisationRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class PlaceRef(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class PcodeRef(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()


class RecordRef(serializers.Serializer):
    """A linked record this reader may see: its id, title and page."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    page = serializers.CharField(help_text="Address of its page on the site.")


class FileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentFile.Kind.choices)
    label = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    content_type = serializers.CharField(allow_blank=True)
    size_bytes = serializers.IntegerField(allow_null=True)
    duration_seconds = serializers.FloatField(allow_null=True)
    page_count = serializers.IntegerField(allow_null=True)
    transcript = serializers.CharField(allow_blank=True, required=False, help_text="Not in lists.")
    processing = serializers.CharField()
    version = serializers.IntegerField()
    url = serializers.CharField()
    compact_url = serializers.CharField(allow_null=True)
    compact_size_bytes = serializers.IntegerField(allow_null=True)
    thumbnail_url = serializers.CharField(allow_null=True)


class DocumentSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    language = serializers.ChoiceField(choices=Language.choices)
    published_on = serializers.DateField(allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    organisation = OrganisationRef()
    themes = serializers.ListField(child=serializers.CharField())
    external_url = serializers.CharField(allow_blank=True)
    is_demo = serializers.BooleanField()
    version = serializers.IntegerField()
    files = FileOutput(many=True)
    page = serializers.CharField()


class DocumentOutput(DocumentSummary):
    summary = serializers.CharField(allow_blank=True)
    licence = serializers.ChoiceField(choices=Licence.choices)
    places = PlaceRef(many=True)
    co_publishers = OrganisationRef(many=True)
    can_edit = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CampaignSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    message = serializers.CharField()
    organisation = OrganisationRef()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    themes = serializers.ListField(child=serializers.CharField())
    places = PlaceRef(many=True)
    is_demo = serializers.BooleanField()
    version = serializers.IntegerField()
    page = serializers.CharField()


class CampaignOutput(CampaignSummary):
    participants = OrganisationRef(many=True)
    documents = RecordRef(many=True)
    can_edit = serializers.BooleanField()


class RecommendationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    addressed_to = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Recommendation.Status.choices)
    follow_up = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField()
    version = serializers.IntegerField()


class EventParticipants(serializers.Serializer):
    women = serializers.IntegerField(allow_null=True)
    men = serializers.IntegerField(allow_null=True)


class EventSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    organisation = OrganisationRef()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    venue = serializers.CharField(allow_blank=True)
    place = PcodeRef(allow_null=True)
    locality = PcodeRef(allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    is_demo = serializers.BooleanField()
    version = serializers.IntegerField()
    page = serializers.CharField()


class EventOutput(EventSummary):
    summary = serializers.CharField(allow_blank=True)
    programme = serializers.CharField(allow_blank=True)
    speakers = serializers.ListField(child=serializers.CharField())
    participants = EventParticipants()
    themes = serializers.ListField(child=serializers.CharField())
    co_organisers = OrganisationRef(many=True)
    report = RecordRef(allow_null=True)
    recommendations = RecommendationOutput(many=True)
    can_edit = serializers.BooleanField()


class NewsOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    published_at = serializers.DateTimeField()
    organisation = OrganisationRef()
    event = serializers.IntegerField(allow_null=True, help_text="Id of the event it reports on.")
    document = serializers.IntegerField(allow_null=True, help_text="Id of the document it presents.")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    is_demo = serializers.BooleanField()
    version = serializers.IntegerField()


DocumentPage = page_of(DocumentSummary, "DocumentPage")
CampaignPage = page_of(CampaignSummary, "CampaignPage")
EventPage = page_of(EventSummary, "EventPage")
NewsPage = page_of(NewsOutput, "NewsPage")


# --- GeoJSON (built by PostGIS) ------------------------------------------------------------------------------

class CampaignPlaceFeature(serializers.Serializer):
    """An admin unit of a campaign, with its simplified web geometry."""

    type = geojson_type("Feature")
    id = serializers.CharField(help_text="P-code.")
    properties = PlaceRef()
    geometry = serializers.JSONField(allow_null=True, help_text="GeoJSON geometry (WGS 84).")


class EventPointProperties(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    starts_at = serializers.DateTimeField()
    organisation = serializers.CharField(help_text="Name of the organiser.")
    is_demo = serializers.BooleanField()


class EventPointFeature(serializers.Serializer):
    """An upcoming event at its locality, else at a point inside its admin unit."""

    type = geojson_type("Feature")
    id = serializers.IntegerField()
    properties = EventPointProperties()
    geometry = serializers.JSONField(help_text="GeoJSON Point (WGS 84).")


CampaignPlaceCollection = feature_collection(CampaignPlaceFeature, "CampaignPlaceCollection")
EventPointCollection = feature_collection(EventPointFeature, "EventPointCollection")
