"""API of campaigns, events (with recommendations) and news."""
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from geo_backend.api.helpers import audience, expected_version, page_links, validated
from geo_backend.api.views import ApiView
from geo_backend.common.errors import NotFound

from ..api_outputs import (
    CampaignOutput,
    CampaignPage,
    CampaignPlaceCollection,
    EventOutput,
    EventPage,
    EventPointCollection,
    NewsOutput,
    NewsPage,
    RecommendationOutput,
)
from ..api_serializers import (
    CampaignCreateInput,
    CampaignInput,
    EventCreateInput,
    EventInput,
    EventListParameters,
    LibraryListParameters,
    NewsCreateInput,
    NewsInput,
    RecommendationInput,
    split,
)
from ..models import Recommendation
from ..selectors import advocacy as selectors
from ..services import advocacy as services
from .common import answer, plain_data, visible_or_404

IF_MATCH = [OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)]
GEOJSON = "application/geo+json"


def paged(request, params: dict, queryset, shape):
    limit, offset = params["limit"], params["offset"]
    count = queryset.count()
    return Response({**page_links(request, count=count, limit=limit, offset=offset),
                     "results": [shape(record) for record in queryset[offset:offset + limit]]})


def organisation_filter(params: dict, queryset):
    organisation = params.get("organisation")
    return queryset.filter(organisation_id=organisation) if organisation else queryset


# --- Campaigns ---------------------------------------------------------------------------------------------

def visible_campaign(request, pk):
    return visible_or_404(request, selectors.campaigns_visible, pk, "campaign_not_found", "Campagne", "Campaign")


def campaign_answer(request, campaign, status=200):
    return answer(selectors.campaign_as_dict(audience(request), campaign, detail=True), campaign, status)


class CampaignListView(ApiView):
    query_serializer = LibraryListParameters

    @extend_schema(operation_id="campaigns_list", responses=CampaignPage)
    def get(self, request):
        queryset = organisation_filter(self.params, selectors.campaigns_visible(audience(request))).prefetch_related(
            "themes", "places")
        return paged(request, self.params, queryset, lambda c: selectors.campaign_as_dict(audience(request), c))

    @extend_schema(operation_id="campaigns_create", request=CampaignCreateInput, responses={201: CampaignOutput})
    def post(self, request):
        data = validated(CampaignCreateInput, plain_data(request, drop=()))
        organisation = data.pop("organisation")
        fields, relations = split(data, services.CAMPAIGN_RELATIONS)
        campaign = services.campaign_create(audience=audience(request), organisation=organisation, fields=fields,
                                            relations=relations)
        return campaign_answer(request, campaign, status=201)


class CampaignDetailView(ApiView):
    @extend_schema(operation_id="campaigns_retrieve", responses=CampaignOutput)
    def get(self, request, pk):
        return campaign_answer(request, visible_campaign(request, pk))

    @extend_schema(operation_id="campaigns_update", request=CampaignInput, responses=CampaignOutput,
                   parameters=IF_MATCH)
    def patch(self, request, pk):
        campaign = visible_campaign(request, pk)
        version = expected_version(request, request.data)
        fields, relations = split(validated(CampaignInput, plain_data(request), partial=True),
                                  services.CAMPAIGN_RELATIONS)
        campaign = services.campaign_update(audience=audience(request), campaign=campaign, expected_version=version,
                                            fields=fields, relations=relations)
        return campaign_answer(request, campaign)

    @extend_schema(operation_id="campaigns_delete", responses={204: None}, parameters=IF_MATCH)
    def delete(self, request, pk):
        services.campaign_delete(audience=audience(request), campaign=visible_campaign(request, pk),
                                 expected_version=expected_version(request, request.data))
        return Response(status=204)


class CampaignPlacesView(ApiView):
    """The campaign's places as GeoJSON, for its map."""

    @extend_schema(operation_id="campaigns_places", responses={(200, GEOJSON): CampaignPlaceCollection})
    def get(self, request, pk):
        return HttpResponse(selectors.campaign_places_geojson(visible_campaign(request, pk)),
                            content_type=GEOJSON)


# --- Events and recommendations ----------------------------------------------------------------------------

def visible_event(request, pk):
    return visible_or_404(request, selectors.events_visible, pk, "event_not_found", "Événement", "Event")


def event_answer(request, event, status=200):
    return answer(selectors.event_as_dict(audience(request), event, detail=True), event, status)


class EventListView(ApiView):
    query_serializer = EventListParameters

    @extend_schema(operation_id="events_list", responses=EventPage)
    def get(self, request):
        who = audience(request)
        queryset = organisation_filter(self.params, selectors.events_visible(who))
        if self.params["upcoming"]:
            queryset = queryset.filter(starts_at__gte=timezone.now()).order_by("starts_at")
        return paged(request, self.params, queryset, lambda e: selectors.event_as_dict(who, e))

    @extend_schema(operation_id="events_create", request=EventCreateInput, responses={201: EventOutput})
    def post(self, request):
        data = validated(EventCreateInput, plain_data(request, drop=()))
        organisation, recommendations = data.pop("organisation"), data.pop("recommendations", [])
        fields, relations = split(data, services.EVENT_RELATIONS)
        event = services.event_create(audience=audience(request), organisation=organisation, fields=fields,
                                      relations=relations, recommendations=recommendations)
        return event_answer(request, event, status=201)


class EventMapView(ApiView):
    """Upcoming events as GeoJSON points, for the home page's map."""

    @extend_schema(operation_id="events_map", responses={(200, GEOJSON): EventPointCollection})
    def get(self, request):
        return HttpResponse(selectors.events_upcoming_geojson(audience(request)), content_type=GEOJSON)


class EventDetailView(ApiView):
    @extend_schema(operation_id="events_retrieve", responses=EventOutput)
    def get(self, request, pk):
        return event_answer(request, visible_event(request, pk))

    @extend_schema(operation_id="events_update", request=EventInput, responses=EventOutput,
                   parameters=IF_MATCH)
    def patch(self, request, pk):
        event = visible_event(request, pk)
        version = expected_version(request, request.data)
        fields, relations = split(validated(EventInput, plain_data(request), partial=True), services.EVENT_RELATIONS)
        event = services.event_update(audience=audience(request), event=event, expected_version=version,
                                      fields=fields, relations=relations)
        return event_answer(request, event)

    @extend_schema(operation_id="events_delete", responses={204: None}, parameters=IF_MATCH)
    def delete(self, request, pk):
        services.event_delete(audience=audience(request), event=visible_event(request, pk),
                              expected_version=expected_version(request, request.data))
        return Response(status=204)


class RecommendationListView(ApiView):
    """POST a recommendation to an event."""

    @extend_schema(operation_id="events_recommendations_create", request=RecommendationInput,
                   responses={201: RecommendationOutput})
    def post(self, request, pk):
        event = visible_event(request, pk)
        fields = validated(RecommendationInput, plain_data(request, drop=()))
        recommendation = services.recommendation_create(audience=audience(request), event=event, fields=fields)
        return answer(selectors.recommendation_as_dict(recommendation), recommendation, status=201)


def visible_recommendation(request, pk) -> Recommendation:
    found = Recommendation.objects.select_related("event").filter(
        pk=pk, event__in=selectors.events_visible(audience(request))).first()
    if found is None:
        raise NotFound("recommendation_not_found", "Recommandation introuvable.", "Recommendation not found.")
    return found


class RecommendationDetailView(ApiView):
    @extend_schema(operation_id="recommendations_update", request=RecommendationInput, responses=RecommendationOutput,
                   parameters=IF_MATCH)
    def patch(self, request, pk):
        recommendation = visible_recommendation(request, pk)
        version = expected_version(request, request.data)
        fields = validated(RecommendationInput, plain_data(request), partial=True)
        recommendation = services.recommendation_update(audience=audience(request), recommendation=recommendation,
                                                        expected_version=version, fields=fields)
        return answer(selectors.recommendation_as_dict(recommendation), recommendation)

    @extend_schema(operation_id="recommendations_delete", responses={204: None}, parameters=IF_MATCH)
    def delete(self, request, pk):
        services.recommendation_delete(audience=audience(request), recommendation=visible_recommendation(request, pk),
                                       expected_version=expected_version(request, request.data))
        return Response(status=204)


# --- News --------------------------------------------------------------------------------------------------

def visible_news(request, pk):
    return visible_or_404(request, selectors.news_visible, pk, "news_not_found", "Actualité", "News item")


class NewsListView(ApiView):
    query_serializer = LibraryListParameters

    @extend_schema(operation_id="news_list", responses=NewsPage)
    def get(self, request):
        return paged(request, self.params, organisation_filter(self.params, selectors.news_visible(audience(request))),
                     selectors.news_as_dict)

    @extend_schema(operation_id="news_create", request=NewsCreateInput, responses={201: NewsOutput})
    def post(self, request):
        data = validated(NewsCreateInput, plain_data(request, drop=()))
        organisation = data.pop("organisation")
        news = services.news_create(audience=audience(request), organisation=organisation, fields=data)
        return answer(selectors.news_as_dict(news), news, status=201)


class NewsDetailView(ApiView):
    @extend_schema(operation_id="news_retrieve", responses=NewsOutput)
    def get(self, request, pk):
        news = visible_news(request, pk)
        return answer(selectors.news_as_dict(news), news)

    @extend_schema(operation_id="news_update", request=NewsInput, responses=NewsOutput, parameters=IF_MATCH)
    def patch(self, request, pk):
        news = visible_news(request, pk)
        version = expected_version(request, request.data)
        fields = validated(NewsInput, plain_data(request), partial=True)
        news = services.news_update(audience=audience(request), news=news, expected_version=version, fields=fields)
        return answer(selectors.news_as_dict(news), news)

    @extend_schema(operation_id="news_delete", responses={204: None}, parameters=IF_MATCH)
    def delete(self, request, pk):
        services.news_delete(audience=audience(request), news=visible_news(request, pk),
                             expected_version=expected_version(request, request.data))
        return Response(status=204)
