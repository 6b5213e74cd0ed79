"""API of partnerships: list and propose, read one (with its history for the two organisations), accept, decline,
withdraw, end; the accepted ones as GeoJSON for maps. Thin views over services and selectors."""
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from geo_backend.api.helpers import StrictSerializer, audience, body_without_version, expected_version, validated
from geo_backend.api.query import PageParameters, id_field
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.common.errors import DomainError
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit
from geo_backend.regions.selectors import edition_resolve
from geo_backend.taxonomy.models import Theme

from ..models import Partnership, PartnershipRole
from ..selectors import partnerships as selectors
from ..services import partnerships as services
from .common import NoteInput, found_or_404, paged_response, versioned_response
from .serializers import JsonFeatureCollection, PartnershipOutput, PartnershipPage

GEOJSON = "application/geo+json"


class PartnershipParams(PageParameters):
    organisation = id_field(required=False)
    status = serializers.ChoiceField(choices=Partnership.Status.choices, required=False)
    theme = serializers.SlugField(required=False)
    area = serializers.CharField(required=False, max_length=20)


class PartnershipInput(StrictSerializer):
    proposer = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    partner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=PartnershipRole.choices)
    areas = serializers.ListField(child=serializers.CharField(max_length=20), allow_empty=False, max_length=200,
                                  help_text="P-codes of regions, cercles or communes")
    themes = serializers.ListField(child=serializers.SlugField(), allow_empty=False, max_length=40)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    edition = serializers.SlugField(required=False)


def areas_and_themes(data: dict) -> tuple[list, list]:
    """The admin units and themes named by P-codes and codes; an unknown one is refused by name."""
    edition = edition_resolve(data.pop("edition", None))
    codes = [code.strip().upper() for code in data.pop("areas")]
    areas = list(AdminUnit.objects.filter(edition=edition, pcode__in=codes))
    themes = list(Theme.objects.filter(code__in=data["themes"], is_active=True))
    unknown = sorted(set(codes) - {a.pcode for a in areas}) + sorted(set(data.pop("themes")) - {t.code for t in themes})
    if unknown:
        raise DomainError("unknown_codes", f"Codes inconnus : {', '.join(unknown)}.",
                          f"Unknown codes: {', '.join(unknown)}.", details={"codes": unknown})
    return areas, themes


def partnership_response(request, partnership, status: int = 200):
    partnership = selectors.partnerships_visible(audience(request)).get(pk=partnership.pk)
    return versioned_response("partnership", partnership,
                              selectors.partnership_as_dict(audience(request), partnership), status)


class PartnershipListView(ApiView):
    query_serializer = PartnershipParams

    @extend_schema(operation_id="partnerships_list", responses=PartnershipPage)
    def get(self, request):
        params = self.params
        who = audience(request)
        queryset = selectors.partnerships_search(who, organisation=params.get("organisation"),
                                                 status=params.get("status"), theme=params.get("theme"),
                                                 area=params.get("area"))
        return paged_response(request, queryset, params, lambda p: selectors.partnership_as_dict(who, p))

    @extend_schema(operation_id="partnerships_propose", request=PartnershipInput,
                   responses={201: PartnershipOutput, **errors(409)})
    def post(self, request):
        data = validated(PartnershipInput, request.data)
        areas, themes = areas_and_themes(data)
        partnership = services.partnership_propose(audience=audience(request), proposer=data["proposer"],
                                                   partner=data["partner"], role=data["role"], areas=areas,
                                                   themes=themes, message=data["message"])
        return partnership_response(request, partnership, status=201)


class PartnershipDetailView(ApiView):
    @extend_schema(operation_id="partnerships_retrieve", responses=PartnershipOutput)
    def get(self, request, pk):
        partnership = found_or_404(selectors.partnerships_visible(audience(request)), pk, "partnership_not_found",
                                   "Partenariat", "Partnership")
        return partnership_response(request, partnership)


ACTIONS = {"accept": services.partnership_accept, "decline": services.partnership_decline,
           "withdraw": services.partnership_withdraw, "end": services.partnership_end}


class PartnershipActionView(ApiView):
    """POST …/accept/, …/decline/ (the partner organisation), …/withdraw/ (the proposer), …/end/ (either)."""

    action = ""

    def post(self, request, pk):
        partnership = found_or_404(selectors.partnerships_visible(audience(request)), pk, "partnership_not_found",
                                   "Partenariat", "Partnership")
        version = expected_version(request, request.data)
        note = validated(NoteInput, body_without_version(request))["note"]
        result = ACTIONS[self.action](audience=audience(request), partnership=partnership, expected_version=version,
                                     note=note)
        return partnership_response(request, result)


def partnership_action_view(action: str):
    return extend_schema_view(post=extend_schema(
        operation_id=f"partnerships_{action}", request=NoteInput, responses={200: PartnershipOutput, **errors(409)},
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
    ))(type(f"Partnership{action.title()}View", (PartnershipActionView,), {"action": action}))


PartnershipAcceptView = partnership_action_view("accept")
PartnershipDeclineView = partnership_action_view("decline")
PartnershipWithdrawView = partnership_action_view("withdraw")
PartnershipEndView = partnership_action_view("end")


class PartnershipMapView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="partnerships_map", responses={(200, GEOJSON): JsonFeatureCollection},
                   summary="Accepted partnerships as GeoJSON: the union of each one's places")
    def get(self, request):
        return HttpResponse(selectors.partnerships_feature_collection(audience(request)), content_type=GEOJSON)
