"""Response shapes of the collaboration endpoints, for the OpenAPI schema (the selectors build the bodies; these
only describe them)."""
from rest_framework import serializers

from geo_backend.api.geojson import geojson_type, page_of


class Named(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NamedWithSlug(Named):
    slug = serializers.CharField()


class AreaBrief(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class PartnershipEvent(serializers.Serializer):
    kind = serializers.CharField()
    organisation = serializers.CharField()
    at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)
    by = serializers.CharField(allow_null=True)


class PartnershipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    proposer = NamedWithSlug()
    partner = NamedWithSlug()
    role = serializers.CharField()
    role_label = serializers.CharField()
    status = serializers.CharField()
    areas = AreaBrief(many=True)
    themes = serializers.ListField(child=serializers.CharField())
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    is_demo = serializers.BooleanField()
    message = serializers.CharField(required=False, allow_blank=True, help_text="The two organisations only.")
    history = PartnershipEvent(many=True, required=False, help_text="The two organisations only.")


PartnershipPage = page_of(PartnershipOutput, "PartnershipPage")


class JsonFeature(serializers.Serializer):
    """A GeoJSON Feature built by PostGIS."""

    type = geojson_type("Feature")
    id = serializers.IntegerField()
    geometry = serializers.JSONField(allow_null=True)
    properties = serializers.DictField()


class JsonFeatureCollection(serializers.Serializer):
    type = geojson_type("FeatureCollection")
    features = JsonFeature(many=True)


class LocalityBrief(serializers.Serializer):
    pcode = serializers.CharField()
    name = serializers.CharField()


class AttendanceOutput(serializers.Serializer):
    sex = serializers.CharField()
    age_band = serializers.CharField()
    count = serializers.IntegerField()


class RegistrationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    training = serializers.IntegerField()
    organisation = Named()
    participants = serializers.IntegerField()
    status = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    attendance = AttendanceOutput(many=True)


class TrainingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    format = serializers.CharField()
    status = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    needs = serializers.ListField(child=serializers.CharField())
    trainer_organisation = Named()
    network = Named(allow_null=True)
    locality = LocalityBrief(allow_null=True)
    venue = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    seats = serializers.IntegerField()
    seats_taken = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    materials = serializers.CharField(allow_blank=True)
    is_demo = serializers.BooleanField()
    registrations = RegistrationOutput(many=True)
    attendance = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()), allow_null=True,
                                       help_text="{sex: {age band: people}}, for those who manage the training.")


TrainingPage = page_of(TrainingOutput, "TrainingPage")


class MentoringLogEntry(serializers.Serializer):
    date = serializers.DateField()
    note = serializers.CharField()


class MentoringPairOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    network = Named()
    mentor_name = serializers.CharField()
    mentee_name = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    is_demo = serializers.BooleanField()
    log = MentoringLogEntry(many=True, required=False, help_text="One pair only (not in lists).")


MentoringPairPage = page_of(MentoringPairOutput, "MentoringPairPage")


class MentoringCount(serializers.Serializer):
    network = Named()
    active = serializers.IntegerField()
    closed = serializers.IntegerField()


class MentoringCounts(serializers.Serializer):
    results = MentoringCount(many=True)


class QuestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class DimensionOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    questions = QuestionOutput(many=True)


class QuestionnaireOutput(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField()
    scale = serializers.ListField(child=serializers.IntegerField())
    dimensions = DimensionOutput(many=True)


class AnswerOutput(serializers.Serializer):
    question = serializers.IntegerField()
    score = serializers.IntegerField()
    comment = serializers.CharField(allow_blank=True)


class AssessmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    organisation = Named()
    year = serializers.IntegerField()
    questionnaire = serializers.IntegerField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers = AnswerOutput(many=True)
    dimension_scores = serializers.DictField(child=serializers.FloatField(), help_text="Mean score per dimension.")


AssessmentPage = page_of(AssessmentOutput, "AssessmentPage")


class NeedsOutput(serializers.Serializer):
    by = serializers.ChoiceField(choices=["dimension", "place", "member"])
    minimum_organisations = serializers.IntegerField()
    results = serializers.ListField(child=serializers.DictField(), help_text="One row per dimension, place or member "
                                                                             "(figures suppressed below the minimum).")


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()


class NotificationPage(page_of(NotificationOutput, "NotificationPageBase")):
    unread = serializers.IntegerField(help_text="Unread notifications, over all pages.")


class MarkedOutput(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class PreferenceOutput(serializers.Serializer):
    email_enabled = serializers.BooleanField()
    language = serializers.ChoiceField(choices=["fr", "en"])
