"""Query parameters and response shapes of the exchange endpoints (imports, exports, vocabularies, zone tiles):
validation and description only; the services and selectors build the bodies."""
from rest_framework import serializers

from geo_backend.api.geojson import page_of
from geo_backend.api.query import PageParameters, QueryParameters
from geo_backend.zones.api_serializers import InterventionFilterParameters
from geo_backend.zones.models import Intervention

from . import formats

# --- Query parameters ----------------------------------------------------------------------------------------


class InterventionSelectionParameters(InterventionFilterParameters):
    """The zones' filters without paging: the whole selection is exported or drawn."""

    validation_state = serializers.ChoiceField(choices=Intervention.Validation.choices, required=False)


class ExportParameters(InterventionSelectionParameters):
    format = serializers.ChoiceField(choices=[*formats.TABLE_FORMATS, *formats.GEO_FORMATS], default="csv")


class TemplateParameters(QueryParameters):
    format = serializers.ChoiceField(choices=["xlsx", "csv"], default="xlsx")


class VocabularyParameters(QueryParameters):
    format = serializers.ChoiceField(choices=["json", "csv"], default="json")


class AdminUnitVocabularyParameters(VocabularyParameters):
    edition = serializers.SlugField(required=False)
    level = serializers.IntegerField(min_value=1, max_value=4, required=False)


class VocabularyPath(QueryParameters):
    name = serializers.SlugField(max_length=60, help_text="admin-units, themes, action-kinds, target-groups, "
                                                          "funders, organisation-types.")


class ImportListParameters(PageParameters):
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50, help_text="Page size (1 to 200).")


# --- Responses -----------------------------------------------------------------------------------------------


class ImportRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    organisation = serializers.IntegerField(allow_null=True)
    user = serializers.IntegerField(allow_null=True)
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    created_at = serializers.DateTimeField()


ImportRunPage = page_of(ImportRunOutput, "ImportRunPage")


class ImportCounts(serializers.Serializer):
    rows = serializers.IntegerField()
    errors = serializers.IntegerField()
    create = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportRowReport(serializers.Serializer):
    line = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "error"])
    intervention = serializers.IntegerField(allow_null=True)
    place = serializers.JSONField(allow_null=True, help_text="The place the row was matched to.")
    problems = serializers.ListField(child=serializers.JSONField())


class ImportReport(serializers.Serializer):
    """What an import found (dry run) or did: per row, the action and the problems, with the counts."""

    filename = serializers.CharField()
    sha256 = serializers.CharField()
    dry_run = serializers.BooleanField()
    format = serializers.CharField()
    encoding = serializers.CharField(allow_null=True)
    separator = serializers.CharField(allow_null=True)
    columns = serializers.ListField(child=serializers.CharField())
    hxl = serializers.JSONField()
    mapping_source = serializers.CharField(allow_null=True)
    edition = serializers.CharField()
    counts = ImportCounts()
    mapping = serializers.JSONField()
    scheme = serializers.CharField(allow_null=True)
    rows = ImportRowReport(many=True)
    import_ = serializers.IntegerField(required=False, help_text="The import run (when carried out).")

    def get_fields(self):
        fields = super().get_fields()
        fields["import"] = fields.pop("import_")
        return fields


class VocabularyLink(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class VocabularyIndex(serializers.Serializer):
    results = VocabularyLink(many=True)


class Vocabulary(serializers.Serializer):
    count = serializers.IntegerField()
    hxl = serializers.DictField(child=serializers.CharField(), help_text="HXL hashtag of each column that has one.")
    results = serializers.ListField(child=serializers.DictField(), help_text="The rows, one object per entry.")
