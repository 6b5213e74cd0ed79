"""API of organisations, networks and memberships. Thin views over services and selectors."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_backend.api.helpers import (
    audience,
    body_without_version,
    etag,
    expected_version,
    page_links,
    page_params,
    validated,
)
from geo_backend.common.errors import DomainError, NotFound
from geo_backend.common.locking import StaleVersion

from . import selectors, services
from .access import require_organisation_editor
from .api_serializers import MembershipInput, OrganisationInput, OrganisationUpdateInput


def visible_organisation(request, pk: int):
    found = selectors.organisations_visible(audience(request)).filter(pk=pk).first()
    if found is None:
        raise NotFound("organisation_not_found", "Organisation introuvable.", "Organisation not found.")
    return found


def organisation_response(request, organisation, status: int = 200) -> Response:
    response = Response(selectors.organisation_detail(audience(request), organisation), status=status)
    response["ETag"] = etag("organisation", organisation.pk, organisation.version)
    return response


LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Name or acronym, accent-insensitive"),
    OpenApiParameter("kind", str), OpenApiParameter("theme", str), OpenApiParameter("area", str),
    OpenApiParameter("limit", int), OpenApiParameter("offset", int),
]


class OrganisationListView(APIView):
    is_network: bool | None = None

    @extend_schema(parameters=LIST_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        limit, offset = page_params(request)
        params = request.query_params
        queryset = selectors.organisation_search(audience(request), q=params.get("q"), kind=params.get("kind"),
                                                 is_network=self.is_network, theme=params.get("theme"),
                                                 area=params.get("area"))
        results = [selectors.organisation_summary(o) for o in queryset[offset:offset + limit]]
        return Response({**page_links(request, count=queryset.count(), limit=limit, offset=offset),
                         "results": results})

    @extend_schema(request=OrganisationInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = validated(OrganisationInput, request.data)
        contacts = data.pop("contacts", None)
        if self.is_network and data["kind"] not in ("plateforme", "alliance", "reseau"):
            raise DomainError("not_a_network", "Un réseau est une plateforme, une alliance ou un réseau.",
                              "A network is a plateforme, an alliance or a réseau.")
        organisation = services.organisation_register(audience=audience(request), fields=data, contacts=contacts)
        return organisation_response(request, organisation, status=201)


class NetworkListView(OrganisationListView):
    is_network = True


class OrganisationDetailView(APIView):
    @extend_schema(operation_id="organisations_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return organisation_response(request, visible_organisation(request, pk))

    @extend_schema(operation_id="organisations_update", request=OrganisationUpdateInput,
                   responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def patch(self, request, pk):
        organisation = visible_organisation(request, pk)
        version = expected_version(request, request.data)
        data = validated(OrganisationUpdateInput, body_without_version(request), partial=True)
        contacts, status = data.pop("contacts", None), data.pop("status", None)
        try:
            organisation = services.organisation_update(audience=audience(request), organisation=organisation,
                                                        expected_version=version, fields=data, contacts=contacts,
                                                        status=status)
        except StaleVersion as stale:
            organisation.refresh_from_db()
            stale.details["current"] = selectors.organisation_detail(audience(request), organisation)
            raise
        return organisation_response(request, organisation)

    @extend_schema(operation_id="organisations_archive", responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)])
    def delete(self, request, pk):
        organisation = visible_organisation(request, pk)
        organisation = services.organisation_archive(audience=audience(request), organisation=organisation,
                                                     expected_version=expected_version(request, request.data))
        return organisation_response(request, organisation)


class OrganisationHistoryView(APIView):
    @extend_schema(operation_id="organisations_history", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        organisation = visible_organisation(request, pk)
        require_organisation_editor(audience(request), organisation.id)
        return Response({"organisation": organisation.id, "events": selectors.organisation_history(organisation)})


class OrganisationRestoreView(APIView):
    @extend_schema(operation_id="organisations_restore", request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk):
        organisation = visible_organisation(request, pk)
        version = expected_version(request, request.data)
        try:
            event_id = int(request.data.get("event"))
        except (TypeError, ValueError):
            raise DomainError("event_required", "Indiquez la version à restaurer (« event »).",
                              "Say which version to restore (\"event\").") from None
        organisation = services.organisation_restore(audience=audience(request), organisation=organisation,
                                                     event_id=event_id, expected_version=version)
        return organisation_response(request, organisation)


def membership_response(membership, status: int = 200) -> Response:
    response = Response(selectors.membership_as_dict(membership), status=status)
    response["ETag"] = etag("membership", membership.pk, membership.version)
    return response


class MembershipListView(APIView):
    @extend_schema(operation_id="memberships_list", responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("network", int), OpenApiParameter("member", int),
                               OpenApiParameter("status", str)])
    def get(self, request):
        limit, offset = page_params(request)
        queryset = selectors.memberships_visible(audience(request))
        for name in ("network", "member", "status"):
            value = request.query_params.get(name)
            if value:
                queryset = queryset.filter(**{f"{name}_id" if name != "status" else name: value})
        results = [selectors.membership_as_dict(m) for m in queryset[offset:offset + limit]]
        return Response({**page_links(request, count=queryset.count(), limit=limit, offset=offset),
                         "results": results})

    @extend_schema(operation_id="memberships_apply", request=MembershipInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = validated(MembershipInput, request.data)
        membership = services.membership_apply(audience=audience(request), network=data["network"],
                                               member=data["member"], role=data["role"])
        return membership_response(membership, status=201)


class MembershipActionView(APIView):
    """POST …/accept/, …/decline/ (the network's coordinator) or …/end/ (either party)."""

    action = ""

    def post(self, request, pk):
        membership = selectors.memberships_visible(audience(request)).filter(pk=pk).first()
        if membership is None:
            raise NotFound("membership_not_found", "Adhésion introuvable.", "Membership not found.")
        version = expected_version(request, request.data)
        if self.action == "end":
            result = services.membership_end(audience=audience(request), membership=membership,
                                             expected_version=version)
        else:
            result = services.membership_decide(audience=audience(request), membership=membership,
                                                expected_version=version, accept=self.action == "accept")
        return membership_response(result)



def membership_action_view(action: str):
    """A view class for one membership action, so each has its own documented operation."""
    return extend_schema_view(post=extend_schema(
        operation_id=f"memberships_{action}", request=None, responses=OpenApiTypes.OBJECT,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
    ))(type(f"Membership{action.title()}View", (MembershipActionView,), {"action": action}))


MembershipAcceptView = membership_action_view("accept")
MembershipDeclineView = membership_action_view("decline")
MembershipEndView = membership_action_view("end")
