"""API of interventions and zones. Thin views: validate input, call a service or selector, shape the answer."""
import json

from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from geo_backend.api.helpers import (
    audience,
    body_without_version,
    etag,
    expected_version,
    page_link,
    page_links,
    validated,
)
from geo_backend.api.schema import errors
from geo_backend.api.views import ApiView
from geo_backend.common.errors import DomainError, NotFound
from geo_backend.common.locking import StaleVersion
from geo_backend.organisations.access import visible_interventions_q
from geo_backend.regions.selectors import edition_resolve

from . import selectors, services, tiles
from .api_serializers import (
    InterventionCreateInput,
    InterventionInput,
    InterventionListParameters,
    InterventionOutput,
    InterventionPage,
    RejectInput,
    RestoreInput,
    ZoneCollection,
    ZoneCreateInput,
    ZoneFeature,
    ZoneInput,
    ZoneListParameters,
    ZonePreviewFeature,
    ZoneTileParameters,
    intervention_filters,
    split_relations,
)
from .models import Intervention, Zone

GEOJSON = "application/geo+json"
IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER,
                            description="The ETag you read (or send \"version\" in the body).")


def visible_intervention(request, pk: int) -> Intervention:
    """The intervention if the caller may see it; 404 otherwise (its existence is not revealed)."""
    found = Intervention.objects.filter(visible_interventions_q(audience(request)), pk=pk).first()
    if found is None:
        raise NotFound("intervention_not_found", "Intervention introuvable.", "Intervention not found.")
    return found


def intervention_response(intervention: Intervention, status: int = 200) -> Response:
    response = Response(selectors.intervention_as_dict(intervention), status=status)
    response["ETag"] = etag("intervention", intervention.pk, intervention.version)
    return response


class InterventionListView(ApiView):
    query_serializer = InterventionListParameters

    @extend_schema(operation_id="interventions_list", responses=InterventionPage)
    def get(self, request):
        limit, offset = self.params["limit"], self.params["offset"]
        results, count = selectors.intervention_list(audience(request), intervention_filters(self.params),
                                                     limit=limit, offset=offset)
        return Response({**page_links(request, count=count, limit=limit, offset=offset), "results": results})

    @extend_schema(operation_id="interventions_create", request=InterventionCreateInput,
                   responses={201: InterventionOutput})
    def post(self, request):
        data = validated(InterventionCreateInput, request.data)
        organisation, submit = data.pop("organisation"), data.pop("submit")
        fields, relations = split_relations(data)
        intervention = services.intervention_create(audience=audience(request), organisation=organisation,
                                                    fields=fields, relations=relations, submit=submit)
        return intervention_response(intervention, status=201)


class InterventionDetailView(ApiView):
    @extend_schema(operation_id="interventions_retrieve", responses=InterventionOutput)
    def get(self, request, pk):
        return intervention_response(visible_intervention(request, pk))

    @extend_schema(operation_id="interventions_update", request=InterventionInput, responses=InterventionOutput,
                   parameters=[IF_MATCH])
    def patch(self, request, pk):
        intervention = visible_intervention(request, pk)
        version = expected_version(request, request.data)
        fields, relations = split_relations(validated(InterventionInput, body_without_version(request), partial=True))
        try:
            intervention = services.intervention_update(audience=audience(request), intervention=intervention,
                                                        expected_version=version, fields=fields, relations=relations)
        except StaleVersion as stale:
            intervention.refresh_from_db()
            stale.details["current"] = selectors.intervention_as_dict(intervention)
            raise
        return intervention_response(intervention)

    @extend_schema(operation_id="interventions_delete", request=None, responses={204: None}, parameters=[IF_MATCH])
    def delete(self, request, pk):
        intervention = visible_intervention(request, pk)
        services.intervention_delete(audience=audience(request), intervention=intervention,
                                     expected_version=expected_version(request, request.data))
        return Response(status=204)


class InterventionTransitionView(ApiView):
    """POST …/submit/, …/validate/ or …/reject/ (with a reason)."""

    action = ""

    def post(self, request, pk):
        intervention = visible_intervention(request, pk)
        version = expected_version(request, request.data)
        who = audience(request)
        if self.action == "submit":
            result = services.intervention_submit(audience=who, intervention=intervention, expected_version=version)
        elif self.action == "validate":
            result = services.intervention_validate(audience=who, intervention=intervention, expected_version=version)
        else:
            reason = validated(RejectInput, body_without_version(request))["reason"]
            result = services.intervention_reject(audience=who, intervention=intervention, expected_version=version,
                                                  reason=reason)
        return intervention_response(result)


def transition_view(action: str, request_shape=None):
    """A view class for one transition, so each has its own documented operation."""
    return extend_schema_view(post=extend_schema(
        operation_id=f"interventions_{action}", request=request_shape, responses=InterventionOutput,
        parameters=[IF_MATCH],
    ))(type(f"Intervention{action.title()}View", (InterventionTransitionView,), {"action": action}))


InterventionSubmitView = transition_view("submit")
InterventionValidateView = transition_view("validate")
InterventionRejectView = transition_view("reject", RejectInput)


class InterventionRestoreView(ApiView):
    @extend_schema(operation_id="interventions_restore", request=RestoreInput, responses=InterventionOutput,
                   parameters=[IF_MATCH])
    def post(self, request, pk):
        intervention = visible_intervention(request, pk)
        version = expected_version(request, request.data)
        event_id = validated(RestoreInput, body_without_version(request))["event"]
        result = services.intervention_restore(audience=audience(request), intervention=intervention,
                                               event_id=event_id, expected_version=version)
        return intervention_response(result)


def zone_feature(request, zone_id: int) -> tuple[dict, Zone]:
    collection, count = selectors.zones_feature_collection(audience(request), zone_id=zone_id, limit=1)
    if not count:
        raise NotFound("zone_not_found", "Zone introuvable.", "Zone not found.")
    return json.loads(collection)["features"][0], Zone.objects.select_related("intervention").get(pk=zone_id)


def zone_response(request, zone: Zone, repairs: list | None = None, status: int = 200) -> Response:
    feature, zone = zone_feature(request, zone.pk)
    shares = zone.commune_shares.order_by("commune__pcode").values_list("commune__pcode", "commune__name", "share")
    # Someone shown only whole communes gets no shares either: share × commune area would give the exact zone.
    exact = feature["properties"]["precision"] == "exact"
    feature["properties"]["communes"] = [{"pcode": p, "name": n, **({"share": round(s, 4)} if exact else {})}
                                         for p, n, s in shares]
    if repairs:
        feature["properties"]["repairs"] = repairs
    response = Response(feature, status=status, content_type=GEOJSON)
    response["ETag"] = etag("zone", zone.pk, zone.version)
    return response


def zone_arguments(data: dict) -> dict:
    return {"method": data["method"], "geometry": data.get("geometry"), "unit_pcodes": data.get("units"),
            "locality_pcode": data.get("locality"), "radius_km": data.get("radius_km")}


class ZoneListView(ApiView):
    query_serializer = ZoneListParameters

    @extend_schema(operation_id="zones_list", responses={(200, GEOJSON): ZoneCollection})
    def get(self, request):
        limit, offset = self.params["limit"], self.params["offset"]
        collection, _count = selectors.zones_feature_collection(
            audience(request), intervention_filters(self.params), limit=limit, offset=offset,
            web_geometry=self.params["geometry"] == "web",
            next_url=page_link(request, limit=limit, offset=offset + limit),
            previous_url=page_link(request, limit=limit, offset=max(offset - limit, 0)) if offset > 0 else None)
        return HttpResponse(collection, content_type=GEOJSON)

    @extend_schema(operation_id="zones_create", request=ZoneCreateInput,
                   responses={(201, GEOJSON): ZoneFeature, **errors(404, 503)})
    def post(self, request):
        data = validated(ZoneCreateInput, request.data)
        intervention = visible_intervention(request, data["intervention"])
        zone, repairs = services.zone_create(audience=audience(request), intervention=intervention,
                                             label=data.get("label", ""), edition_slug=data.get("edition"),
                                             **zone_arguments(data))
        return zone_response(request, zone, repairs, status=201)


class ZoneDetailView(ApiView):
    @extend_schema(operation_id="zones_retrieve", responses={(200, GEOJSON): ZoneFeature})
    def get(self, request, pk):
        _feature, zone = zone_feature(request, pk)
        return zone_response(request, zone)

    @extend_schema(operation_id="zones_update", request=ZoneInput,
                   responses={(200, GEOJSON): ZoneFeature, **errors(503)}, parameters=[IF_MATCH])
    def put(self, request, pk):
        _feature, zone = zone_feature(request, pk)
        version = expected_version(request, request.data)
        data = validated(ZoneInput, body_without_version(request))
        try:
            zone, repairs = services.zone_update(audience=audience(request), zone=zone, expected_version=version,
                                                 label=data.get("label"), **zone_arguments(data))
        except StaleVersion as stale:
            stale.details["current"] = zone_feature(request, pk)[0]
            raise
        return zone_response(request, zone, repairs)

    @extend_schema(operation_id="zones_delete", request=None, responses={204: None}, parameters=[IF_MATCH])
    def delete(self, request, pk):
        zone = get_object_or_404(Zone.objects.filter(
            intervention__in=Intervention.objects.filter(visible_interventions_q(audience(request)))), pk=pk)
        services.zone_delete(audience=audience(request), zone=zone,
                             expected_version=expected_version(request, request.data))
        return Response(status=204)


class ZonePreviewView(ApiView):
    """What a zone would be (clipped geometry, area, communes touched), without saving anything."""

    @extend_schema(operation_id="zones_preview", request=ZoneInput,
                   responses={(200, GEOJSON): ZonePreviewFeature, **errors(404, 503)})
    def post(self, request):
        if audience(request).is_visitor:
            raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
        data = validated(ZoneInput, request.data)
        feature = selectors.zone_preview(edition=edition_resolve(data.get("edition")), **zone_arguments(data))
        return Response(feature, content_type=GEOJSON)


MVT = "application/vnd.mapbox-vector-tile"
# A visitor's tile is the same for every visitor: any cache may keep it a few minutes (a newly validated zone shows
# within that time). A signed-in person's tile holds what only she may see: kept by her browser alone, and checked
# against its ETag each time, so the zone she has just drawn shows at once.
VISITOR_TILE_CACHE_CONTROL = "public, max-age=300"
SIGNED_IN_TILE_CACHE_CONTROL = "private, no-cache"


class ZoneTileView(ApiView):
    """The map's zones as Mapbox vector tiles, built for whoever asks (the zones API's visibility rules)."""

    query_serializer = ZoneTileParameters

    @extend_schema(operation_id="zones_tile",
                   summary="Mapbox vector tile of the zones the caller may see (layer 'zones')",
                   description="From z8, each feature: zone, intervention, theme (first code), precision "
                               "(exact or communes), is_demo, zones (how many zones share that shape); its id is "
                               "the zone's. Up to z7 (256-unit grid), each theme's touching zones are merged: "
                               "theme, precision, zones, no id. The content depends on who asks (Vary: "
                               "Cookie, Authorization); the ETag changes when a zone shown in the tile changes "
                               "(If-None-Match gets 304).",
                   responses={(200, MVT): OpenApiTypes.BINARY})
    def get(self, request, z, x, y):
        who, filters = audience(request), intervention_filters(self.params)
        digest = tiles.zone_tile_digest(who, filters, z=z, x=x, y=y)
        # The audience is part of the tag, so one person's tile never validates another's cached copy.
        tag = f'"zones-{"public" if who.is_visitor else f"u{who.user_id}"}-{digest}"'
        # Compared weakly: GZipMiddleware sends the tag as W/"…", and the browser sends that back.
        if tag in [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(tiles.zone_tile_for_digest(who, filters, z=z, x=x, y=y, digest=digest),
                                    content_type=MVT)
        response["ETag"] = tag
        response["Cache-Control"] = VISITOR_TILE_CACHE_CONTROL if who.is_visitor else SIGNED_IN_TILE_CACHE_CONTROL
        patch_vary_headers(response, ["Cookie", "Authorization"])
        return response
