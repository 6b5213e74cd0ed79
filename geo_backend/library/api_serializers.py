"""Input shapes of the library's endpoints (validation only; the services write)."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geo_backend.api.helpers import StrictSerializer
from geo_backend.api.query import PageParameters, ThemeCodeField, id_field
from geo_backend.organisations.models import Organisation, Visibility
from geo_backend.regions.models import AdminUnit, Locality
from geo_backend.taxonomy.models import Theme
from geo_backend.zones.api_serializers import CodeList

from .models import MAX_PARTICIPANTS, Document, Event, Language, Licence, Recommendation


class PcodeList(serializers.ListField):
    """P-codes of admin units of the default edition, returned as units."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(max_length=20), max_length=200, **kwargs)

    def to_internal_value(self, data):
        codes = [code.upper() for code in super().to_internal_value(data)]
        found = {u.pcode: u for u in AdminUnit.objects.filter(edition__is_default=True, pcode__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(f"P-codes inconnus / unknown P-codes: {', '.join(unknown)}")
        return [found[code] for code in codes]


@extend_schema_field(OpenApiTypes.STR)
class PcodeField(serializers.Field):
    """The P-code of an admin unit (default edition) or a locality, returned as the record."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.pcode

    def to_internal_value(self, data):
        if not isinstance(data, str) or not 0 < len(data.strip()) <= 20:
            raise serializers.ValidationError("P-code attendu / a P-code is expected")
        code = data.strip().upper()
        queryset = self.model.objects.filter(pcode=code)
        if self.model is AdminUnit:
            queryset = queryset.filter(edition__is_default=True)
        found = queryset.first()
        if found is None:
            raise serializers.ValidationError(f"P-code inconnu / unknown P-code: {code}")
        return found


def organisations_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), many=True, required=False,
                                              **kwargs)


class DocumentInput(StrictSerializer):
    title = serializers.CharField(max_length=250)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    themes = CodeList(Theme, required=False)
    places = PcodeList(required=False)
    co_publishers = organisations_field()
    published_on = serializers.DateField(required=False, allow_null=True)
    licence = serializers.ChoiceField(choices=Licence.choices, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    external_url = serializers.URLField(required=False, allow_blank=True, max_length=200)


class DocumentCreateInput(DocumentInput):
    """Multipart (with a file) or JSON (a link only)."""

    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    file = serializers.FileField(required=False, allow_empty_file=True)
    file_label = serializers.CharField(required=False, allow_blank=True, max_length=200)
    transcript = serializers.CharField(required=False, allow_blank=True, max_length=200_000)


class DocumentFileCreateInput(StrictSerializer):
    file = serializers.FileField(allow_empty_file=True)
    label = serializers.CharField(required=False, allow_blank=True, max_length=200)
    transcript = serializers.CharField(required=False, allow_blank=True, max_length=200_000)


class DocumentFileInput(StrictSerializer):
    label = serializers.CharField(required=False, allow_blank=True, max_length=200)
    transcript = serializers.CharField(required=False, allow_blank=True, max_length=200_000)


class CampaignInput(StrictSerializer):
    title = serializers.CharField(max_length=250)
    message = serializers.CharField(max_length=20000)
    participants = organisations_field()
    themes = CodeList(Theme, required=False)
    places = PcodeList(required=False)
    documents = serializers.PrimaryKeyRelatedField(queryset=Document.objects.all(), many=True, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "La fin précède le début / the end is before the start."})
        return attrs


class CampaignCreateInput(CampaignInput):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())


class EventInput(StrictSerializer):
    title = serializers.CharField(max_length=250)
    kind = serializers.ChoiceField(choices=Event.Kind.choices, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    programme = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    speakers = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    venue = serializers.CharField(required=False, allow_blank=True, max_length=200)
    locality = PcodeField(Locality, required=False, allow_null=True)
    place = PcodeField(AdminUnit, required=False, allow_null=True)
    co_organisers = organisations_field()
    themes = CodeList(Theme, required=False)
    participants_women = serializers.IntegerField(min_value=0, max_value=MAX_PARTICIPANTS, required=False,
                                                  allow_null=True)
    participants_men = serializers.IntegerField(min_value=0, max_value=MAX_PARTICIPANTS, required=False,
                                                allow_null=True)
    report = serializers.PrimaryKeyRelatedField(queryset=Document.objects.all(), required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)

    def validate(self, attrs):
        start, end = attrs.get("starts_at"), attrs.get("ends_at")
        if start and end and end < start:
            raise serializers.ValidationError({"ends_at": "La fin précède le début / the end is before the start."})
        return attrs


class EventCreateInput(EventInput):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    recommendations = serializers.ListField(child=serializers.CharField(max_length=5000), required=False,
                                            max_length=200)


class RecommendationInput(StrictSerializer):
    text = serializers.CharField(max_length=5000)
    addressed_to = serializers.CharField(required=False, allow_blank=True, max_length=200)
    status = serializers.ChoiceField(choices=Recommendation.Status.choices, required=False)
    follow_up = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False)


class NewsInput(StrictSerializer):
    title = serializers.CharField(max_length=250)
    body = serializers.CharField(max_length=50000)
    published_at = serializers.DateTimeField()
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all(), required=False, allow_null=True)
    document = serializers.PrimaryKeyRelatedField(queryset=Document.objects.all(), required=False,
                                                  allow_null=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class NewsCreateInput(NewsInput):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())


# --- Query parameters of the lists ----------------------------------------------------------------------------

class LibraryListParameters(PageParameters):
    organisation = id_field(required=False, help_text="Only what this organisation published.")


class EventListParameters(LibraryListParameters):
    upcoming = serializers.BooleanField(required=False, default=False,
                                        help_text="Only events still to come, soonest first.")


class DocumentListParameters(PageParameters):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200,
                              help_text="Mots cherchés (français, sans accents ni pluriels) / words searched.")
    theme = ThemeCodeField(required=False, allow_blank=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                  help_text="P-code of a unit: documents about it or any unit inside it.")
    kind = serializers.ChoiceField(choices=Document.Kind.choices, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False, allow_blank=True)
    organisation = id_field(required=False, help_text="Publisher or co-publisher.")


def split(data: dict, relation_names) -> tuple[dict, dict]:
    """Separates many-to-many relations from plain fields."""
    relations = {name: data.pop(name) for name in relation_names if name in data}
    return data, relations
