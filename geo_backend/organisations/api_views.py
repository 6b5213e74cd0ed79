"""API of organisations, networks and memberships. Thin views over services and selectors."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from geo_backend.api.helpers import (
    audience,
    body_without_version,
    etag,
    expected_version,
    page_links,
    validated,
)
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.common.errors import DomainError, NotFound
from geo_backend.common.locking import StaleVersion

from . import selectors, services
from .access import require_organisation_editor
from .api_serializers import (
    MembershipInput,
    MembershipListParameters,
    MembershipOutput,
    MembershipPage,
    OrganisationDetail,
    OrganisationHistory,
    OrganisationInput,
    OrganisationListParameters,
    OrganisationPage,
    OrganisationUpdateInput,
    RestoreEventInput,
)

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER,
                            description="The ETag you read (or send \"version\" in the body).")


def visible_organisation(request, pk: int):
    found = selectors.organisations_visible(audience(request)).filter(pk=pk).first()
    if found is None:
        raise NotFound("organisation_not_found", "Organisation introuvable.", "Organisation not found.")
    return found


def organisation_response(request, organisation, status: int = 200) -> Response:
    response = Response(selectors.organisation_detail(audience(request), organisation), status=status)
    response["ETag"] = etag("organisation", organisation.pk, organisation.version)
    return response


class OrganisationListView(ApiView):
    is_network: bool | None = None
    query_serializer = OrganisationListParameters

    @extend_schema(responses=OrganisationPage)
    def get(self, request):
        params = self.params
        limit, offset = params["limit"], params["offset"]
        queryset = selectors.organisation_search(audience(request), q=params.get("q"), kind=params.get("kind"),
                                                 is_network=self.is_network, theme=params.get("theme"),
                                                 area=params.get("area"))
        results = [selectors.organisation_summary(o) for o in queryset[offset:offset + limit]]
        return Response({**page_links(request, count=queryset.count(), limit=limit, offset=offset),
                         "results": results})

    @extend_schema(request=OrganisationInput, responses={201: OrganisationDetail})
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


class OrganisationDetailView(ApiView):
    @extend_schema(operation_id="organisations_retrieve", responses=OrganisationDetail)
    def get(self, request, pk):
        return organisation_response(request, visible_organisation(request, pk))

    @extend_schema(operation_id="organisations_update", request=OrganisationUpdateInput,
                   responses=OrganisationDetail, parameters=[IF_MATCH])
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

    @extend_schema(operation_id="organisations_archive", request=None, responses={200: OrganisationDetail},
                   parameters=[IF_MATCH], description="Archives the organisation and answers its record.")
    def delete(self, request, pk):
        organisation = visible_organisation(request, pk)
        organisation = services.organisation_archive(audience=audience(request), organisation=organisation,
                                                     expected_version=expected_version(request, request.data))
        return organisation_response(request, organisation)


class OrganisationHistoryView(ApiView):
    @extend_schema(operation_id="organisations_history", responses={200: OrganisationHistory, **errors(403)})
    def get(self, request, pk):
        organisation = visible_organisation(request, pk)
        require_organisation_editor(audience(request), organisation.id)
        return Response({"organisation": organisation.id, "events": selectors.organisation_history(organisation)})


class OrganisationRestoreView(ApiView):
    @extend_schema(operation_id="organisations_restore", request=RestoreEventInput, responses=OrganisationDetail,
                   parameters=[IF_MATCH])
    def post(self, request, pk):
        organisation = visible_organisation(request, pk)
        version = expected_version(request, request.data)
        event_id = validated(RestoreEventInput, body_without_version(request))["event"]
        organisation = services.organisation_restore(audience=audience(request), organisation=organisation,
                                                     event_id=event_id, expected_version=version)
        return organisation_response(request, organisation)


def membership_response(membership, status: int = 200) -> Response:
    response = Response(selectors.membership_as_dict(membership), status=status)
    response["ETag"] = etag("membership", membership.pk, membership.version)
    return response


class MembershipListView(ApiView):
    query_serializer = MembershipListParameters

    @extend_schema(operation_id="memberships_list", responses=MembershipPage)
    def get(self, request):
        params = self.params
        limit, offset = params["limit"], params["offset"]
        queryset = selectors.memberships_visible(audience(request))
        for name in ("network", "member"):
            if params.get(name):
                queryset = queryset.filter(**{f"{name}_id": params[name]})
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        results = [selectors.membership_as_dict(m) for m in queryset[offset:offset + limit]]
        return Response({**page_links(request, count=queryset.count(), limit=limit, offset=offset),
                         "results": results})

    @extend_schema(operation_id="memberships_apply", request=MembershipInput,
                   responses={201: MembershipOutput, **errors(409)})
    def post(self, request):
        data = validated(MembershipInput, request.data)
        membership = services.membership_apply(audience=audience(request), network=data["network"],
                                               member=data["member"], role=data["role"])
        return membership_response(membership, status=201)


class MembershipActionView(ApiView):
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
        operation_id=f"memberships_{action}", request=None, responses={200: MembershipOutput, **errors(409)},
        parameters=[IF_MATCH],
    ))(type(f"Membership{action.title()}View", (MembershipActionView,), {"action": action}))


MembershipAcceptView = membership_action_view("accept")
MembershipDeclineView = membership_action_view("decline")
MembershipEndView = membership_action_view("end")
