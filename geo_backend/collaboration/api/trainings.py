"""API of trainings: list (JSON, GeoJSON points, iCalendar), offer and change, register, cancel a registration,
record attendance by sex and age band."""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from geo_backend.api.helpers import StrictSerializer, audience, body_without_version, expected_version, validated
from geo_backend.api.query import PageParameters, id_field
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.common.errors import DomainError
from geo_backend.common.limits import DESCRIPTION_MAX_LENGTH
from geo_backend.organisations.access import require_signed_in
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import Locality
from geo_backend.taxonomy.models import Theme

from ..models import AgeBand, Dimension, Sex, Training
from ..selectors import trainings as selectors
from ..services import trainings as services
from .common import found_or_404, paged_response, versioned_response
from .serializers import JsonFeatureCollection, RegistrationOutput, TrainingOutput, TrainingPage

GEOJSON = "application/geo+json"


class TrainingParams(PageParameters):
    theme = serializers.SlugField(required=False)
    network = id_field(required=False)
    organisation = id_field(required=False)
    need = serializers.SlugField(required=False)
    start_from = serializers.DateField(required=False)
    start_to = serializers.DateField(required=False)
    format = serializers.ChoiceField(choices=["json", "geojson", "ics"], default="json")


class TrainingInput(StrictSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    format = serializers.ChoiceField(choices=Training.Format.choices, default=Training.Format.IN_PERSON)
    trainer_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    network = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False,
                                                 allow_null=True)
    locality = serializers.SlugRelatedField(slug_field="pcode", queryset=Locality.objects.filter(
        edition__is_default=True), required=False, allow_null=True)
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    seats = serializers.IntegerField(min_value=1, max_value=10000)
    materials = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    themes = serializers.SlugRelatedField(slug_field="code", queryset=Theme.objects.filter(is_active=True), many=True)
    needs = serializers.SlugRelatedField(slug_field="code", queryset=Dimension.objects.filter(is_active=True),
                                         many=True, required=False)


class TrainingUpdateInput(TrainingInput):
    status = serializers.ChoiceField(choices=Training.Status.choices, required=False)


class RegistrationInput(StrictSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    participants = serializers.IntegerField(min_value=1, max_value=1000)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AttendanceRow(StrictSerializer):
    sex = serializers.ChoiceField(choices=Sex.choices)
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    count = serializers.IntegerField(min_value=0, max_value=10000)


class AttendanceInput(StrictSerializer):
    attendance = AttendanceRow(many=True)


def training_response(request, training, status: int = 200) -> Response:
    training = selectors.trainings_visible(audience(request)).get(pk=training.pk)
    return versioned_response("training", training, selectors.training_as_dict(audience(request), training), status)


class TrainingListView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = TrainingParams

    @extend_schema(operation_id="trainings_list",
                   responses={(200, "application/json"): TrainingPage, (200, GEOJSON): JsonFeatureCollection,
                              (200, "text/calendar"): OpenApiTypes.BINARY},
                   summary="Trainings (JSON), their places (GeoJSON) or the calendar (iCalendar)")
    def get(self, request):
        params = self.params
        who = audience(request)
        output = params.pop("format")
        queryset = selectors.training_search(who, **{k: v for k, v in params.items() if k not in ("limit", "offset")})
        if output == "geojson":
            return HttpResponse(selectors.trainings_feature_collection(who, queryset), content_type=GEOJSON)
        if output == "ics":
            return ics_response(selectors.trainings_ical(queryset))
        return paged_response(request, queryset, params, lambda t: selectors.training_as_dict(who, t))

    @extend_schema(operation_id="trainings_create", request=TrainingInput, responses={201: TrainingOutput})
    def post(self, request):
        require_signed_in(audience(request))
        data = validated(TrainingInput, request.data)
        themes, needs = data.pop("themes"), data.pop("needs", [])
        training = services.training_create(audience=audience(request), fields=data, themes=themes, needs=needs)
        return training_response(request, training, status=201)


def ics_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="musoya-formations.ics"'
    return response


class TrainingDetailView(ApiView):
    @extend_schema(operation_id="trainings_retrieve", responses=TrainingOutput)
    def get(self, request, pk):
        return training_response(request, found_or_404(selectors.trainings_visible(audience(request)), pk,
                                                       "training_not_found", "Formation", "Training"))

    @extend_schema(operation_id="trainings_update", request=TrainingUpdateInput,
                   responses={200: TrainingOutput, **errors(409)})
    def patch(self, request, pk):
        training = found_or_404(selectors.trainings_visible(audience(request)), pk, "training_not_found",
                                "Formation", "Training")
        version = expected_version(request, request.data)
        data = validated(TrainingUpdateInput, body_without_version(request), partial=True)
        themes, needs = data.pop("themes", None), data.pop("needs", None)
        if "trainer_organisation" in data:
            raise DomainError("field_not_allowed", "L'organisation formatrice ne change pas.",
                              "The trainer organisation does not change.", details={"fields": ["trainer_organisation"]})
        training = services.training_update(audience=audience(request), training=training, expected_version=version,
                                            fields=data, themes=themes, needs=needs)
        return training_response(request, training)


class TrainingRegistrationView(ApiView):
    @extend_schema(operation_id="trainings_register", request=RegistrationInput,
                   responses={201: RegistrationOutput, **errors(409)})
    def post(self, request, pk):
        training = found_or_404(selectors.trainings_visible(audience(request)), pk, "training_not_found",
                                "Formation", "Training")
        data = validated(RegistrationInput, request.data)
        registration = services.training_register(audience=audience(request), training=training, **data)
        return versioned_response("trainingregistration", registration,
                                  selectors.registration_as_dict(registration), 201)


class RegistrationCancelView(ApiView):
    @extend_schema(operation_id="training_registrations_cancel", request=None,
                   responses={200: RegistrationOutput, **errors(409)})
    def post(self, request, pk):
        registration = found_or_404(selectors.registrations_visible(audience(request)), pk,
                                    "registration_not_found", "Inscription", "Registration")
        result = services.training_registration_cancel(audience=audience(request), registration=registration,
                                                       expected_version=expected_version(request, request.data))
        return versioned_response("trainingregistration", result, selectors.registration_as_dict(result))


class RegistrationAttendanceView(ApiView):
    @extend_schema(operation_id="training_registrations_attendance", request=AttendanceInput,
                   responses={200: RegistrationOutput, **errors(409)})
    def put(self, request, pk):
        registration = found_or_404(selectors.registrations_visible(audience(request)), pk,
                                    "registration_not_found", "Inscription", "Registration")
        version = expected_version(request, request.data)
        rows = validated(AttendanceInput, body_without_version(request))["attendance"]
        counts: dict = {}
        for row in rows:
            key = (row["sex"], row["age_band"])
            if key in counts:
                raise DomainError("invalid_attendance", "Un groupe (sexe, tranche d'âge) est répété.",
                                  "A group (sex, age band) is repeated.")
            counts[key] = row["count"]
        result = services.training_attendance_record(audience=audience(request), registration=registration,
                                                     expected_version=version, counts=counts)
        return versioned_response("trainingregistration", result, selectors.registration_as_dict(result))
