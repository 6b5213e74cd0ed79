"""API of mentoring pairs: names and follow-up for the network's coordinators and the pair; counts for others."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from geo_backend.api.helpers import StrictSerializer, audience, body_without_version, expected_version, validated
from geo_backend.api.query import PageParameters, id_field
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.organisations.access import require_signed_in
from geo_backend.organisations.models import Organisation
from geo_backend.taxonomy.models import Theme

from ..selectors import mentoring as selectors
from ..services import mentoring as services
from .common import found_or_404, paged_response, versioned_response
from .serializers import MentoringCounts, MentoringPairOutput, MentoringPairPage


class PairParams(PageParameters):
    network = id_field(required=False)
    status = serializers.ChoiceField(choices=["active", "closed"], required=False)


class PairInput(StrictSerializer):
    network = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    mentor_name = serializers.CharField(max_length=120)
    mentee_name = serializers.CharField(max_length=120)
    mentor_username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    mentee_username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    themes = serializers.SlugRelatedField(slug_field="code", queryset=Theme.objects.filter(is_active=True), many=True)
    started_on = serializers.DateField(required=False)


class LogInput(StrictSerializer):
    date = serializers.DateField(required=False)
    note = serializers.CharField(max_length=5000)


def pair_response(pair, status: int = 200) -> Response:
    return versioned_response("mentoringpair", pair, selectors.mentoring_pair_as_dict(pair, with_log=True), status)


class PairListView(ApiView):
    query_serializer = PairParams

    @extend_schema(operation_id="mentoring_pairs_list", responses=MentoringPairPage,
                   summary="The pairs whose names one may read (coordinators of their network, the pair)")
    def get(self, request):
        params = self.params
        who = audience(request)
        require_signed_in(who)
        queryset = selectors.mentoring_pairs_named(who)
        if params.get("network"):
            queryset = queryset.filter(network_id=params["network"])
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        return paged_response(request, queryset.order_by("-started_on", "id"), params,
                              selectors.mentoring_pair_as_dict)

    @extend_schema(operation_id="mentoring_pairs_create", request=PairInput, responses={201: MentoringPairOutput})
    def post(self, request):
        data = validated(PairInput, request.data)
        pair = services.mentoring_pair_create(audience=audience(request), **data)
        return pair_response(pair, status=201)


def named_pair(request, pk):
    return found_or_404(selectors.mentoring_pairs_named(audience(request)), pk, "pair_not_found",
                        "Binôme", "Mentoring pair")


class PairDetailView(ApiView):
    @extend_schema(operation_id="mentoring_pairs_retrieve", responses=MentoringPairOutput)
    def get(self, request, pk):
        return pair_response(named_pair(request, pk))


class PairLogView(ApiView):
    @extend_schema(operation_id="mentoring_pairs_log", request=LogInput,
                   responses={201: MentoringPairOutput, **errors(409)})
    def post(self, request, pk):
        pair = named_pair(request, pk)
        data = validated(LogInput, request.data)
        services.mentoring_log_add(audience=audience(request), pair=pair, date=data.get("date"), note=data["note"])
        pair.refresh_from_db()
        return pair_response(pair, status=201)


class PairCloseView(ApiView):
    @extend_schema(operation_id="mentoring_pairs_close", request=None,
                   responses={200: MentoringPairOutput, **errors(409)})
    def post(self, request, pk):
        pair = named_pair(request, pk)
        version = expected_version(request, request.data)
        validated(StrictSerializer, body_without_version(request))
        return pair_response(services.mentoring_pair_close(audience=audience(request), pair=pair,
                                                           expected_version=version))


class MentoringCountsView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="mentoring_counts", responses=MentoringCounts,
                   summary="Anonymous figures: active and closed pairs per network")
    def get(self, request):
        return Response({"results": selectors.mentoring_counts()})
