"""API of the capacity self-assessment: the current questionnaire, an organisation's own self-assessments (start,
change, submit), and the needs aggregates (anonymised below a threshold for anyone but the network's
coordinators)."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from geo_backend.api.helpers import StrictSerializer, audience, body_without_version, expected_version, validated
from geo_backend.api.query import PageParameters, QueryParameters, id_field
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.organisations.access import NEEDS_MIN_ORGANISATIONS, require_signed_in
from geo_backend.organisations.models import Organisation

from ..selectors import assessments as selectors
from ..services import assessments as services
from .common import found_or_404, paged_response, versioned_response
from .serializers import AssessmentOutput, AssessmentPage, NeedsOutput, QuestionnaireOutput


class AnswerInput(StrictSerializer):
    question = serializers.IntegerField(min_value=1)
    score = serializers.IntegerField(min_value=1, max_value=4)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AssessmentInput(StrictSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    answers = AnswerInput(many=True)
    submit = serializers.BooleanField(default=False)


class AssessmentUpdateInput(StrictSerializer):
    answers = AnswerInput(many=True)
    submit = serializers.BooleanField(default=False)


class AssessmentParams(PageParameters):
    organisation = id_field(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class NeedsParams(QueryParameters):
    network = id_field(required=False, allow_null=True, default=None)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, allow_null=True, default=None)
    by = serializers.ChoiceField(choices=["dimension", "place", "member"], default="dimension")
    dimension = serializers.SlugField(required=False, allow_null=True, default=None)
    level = serializers.ChoiceField(choices=[1, 2], default=1)


def assessment_response(assessment, status: int = 200) -> Response:
    return versioned_response("assessment", assessment, selectors.assessment_as_dict(assessment), status)


class QuestionnaireView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="assessments_questionnaire", responses=QuestionnaireOutput)
    def get(self, request):
        return Response(selectors.questionnaire_as_dict())


class AssessmentListView(ApiView):
    query_serializer = AssessmentParams

    @extend_schema(operation_id="assessments_list", responses=AssessmentPage,
                   summary="Self-assessments whose scores one may read (one's organisation, one's network's members)")
    def get(self, request):
        params = self.params
        who = audience(request)
        require_signed_in(who)
        queryset = selectors.assessments_visible(who)
        if params.get("organisation"):
            queryset = queryset.filter(organisation_id=params["organisation"])
        if params.get("year"):
            queryset = queryset.filter(year=params["year"])
        return paged_response(request, queryset.order_by("-year", "organisation__name"), params,
                              selectors.assessment_as_dict)

    @extend_schema(operation_id="assessments_start", request=AssessmentInput,
                   responses={201: AssessmentOutput, **errors(409)})
    def post(self, request):
        data = validated(AssessmentInput, request.data)
        assessment = services.assessment_start(audience=audience(request), **data)
        return assessment_response(assessment, status=201)


def visible_assessment(request, pk):
    return found_or_404(selectors.assessments_visible(audience(request)), pk, "assessment_not_found",
                        "Auto-évaluation", "Self-assessment")


class AssessmentDetailView(ApiView):
    @extend_schema(operation_id="assessments_retrieve", responses=AssessmentOutput)
    def get(self, request, pk):
        return assessment_response(visible_assessment(request, pk))

    @extend_schema(operation_id="assessments_update", request=AssessmentUpdateInput,
                   responses={200: AssessmentOutput, **errors(409)})
    def put(self, request, pk):
        assessment = visible_assessment(request, pk)
        version = expected_version(request, request.data)
        data = validated(AssessmentUpdateInput, body_without_version(request))
        return assessment_response(services.assessment_update(audience=audience(request), assessment=assessment,
                                                              expected_version=version, **data))


class NeedsView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = NeedsParams

    @extend_schema(operation_id="assessments_needs", responses={200: NeedsOutput, **errors(403)},
                   summary="Needs by dimension, by place or (coordinators) by member")
    def get(self, request):
        params = self.params
        who = audience(request)
        by = params.pop("by")
        if by == "member":
            rows = selectors.network_member_needs(who, network_id=params["network"], year=params["year"])
        elif by == "place":
            rows = selectors.needs_by_place(who, network_id=params["network"], year=params["year"],
                                            dimension=params["dimension"], level=int(params["level"]))
        else:
            rows = selectors.needs_by_dimension(who, network_id=params["network"], year=params["year"])
        return Response({"by": by, "minimum_organisations": NEEDS_MIN_ORGANISATIONS, "results": rows})
