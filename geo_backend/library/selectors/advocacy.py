"""Reads of campaigns, events, recommendations and news, through the audience's visibility."""


from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from geo_backend.organisations.access import Audience, can_edit_library_record, visible_library_q

from ..models import Campaign, Document, Event, NewsItem, Recommendation
from .documents import organisation_ref


def campaigns_visible(audience: Audience) -> QuerySet:
    return Campaign.objects.filter(visible_library_q(audience)).select_related("organisation")


def events_visible(audience: Audience) -> QuerySet:
    return Event.objects.filter(visible_library_q(audience)).select_related("organisation", "place", "locality")


def news_visible(audience: Audience) -> QuerySet:
    return NewsItem.objects.filter(visible_library_q(audience)).select_related("organisation")


def events_upcoming(audience: Audience, *, limit: int = 5) -> QuerySet:
    """Events not yet over, soonest first."""
    now = timezone.now()
    return events_visible(audience).filter(starts_at__gte=now - timezone.timedelta(hours=12)).order_by(
        "starts_at")[:limit]


def _documents_ref(audience: Audience, documents) -> list[dict]:
    visible = Document.objects.filter(visible_library_q(audience), pk__in=[d.pk for d in documents])
    return [{"id": d.id, "title": d.title, "kind": d.kind, "page": reverse("library:document", args=[d.id])}
            for d in visible.order_by("-published_on", "id")]


def campaign_as_dict(audience: Audience, campaign: Campaign, *, detail: bool = False) -> dict:
    data = {
        "id": campaign.id,
        "title": campaign.title,
        "message": campaign.message,
        "organisation": organisation_ref(campaign.organisation),
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "visibility": campaign.visibility,
        "themes": sorted(t.code for t in campaign.themes.all()),
        "places": [{"pcode": u.pcode, "name": u.name, "level": u.level} for u in campaign.places.all()],
        "is_demo": campaign.is_demo,
        "version": campaign.version,
        "page": reverse("library:campaign", args=[campaign.id]),
    }
    if detail:
        data["participants"] = [organisation_ref(o) for o in campaign.participants.all()]
        data["documents"] = _documents_ref(audience, campaign.documents.all())
        data["can_edit"] = can_edit_library_record(audience, organisation_id=campaign.organisation_id)
    return data


def campaign_places_geojson(campaign: Campaign) -> str:
    """The campaign's places as a GeoJSON FeatureCollection (simplified web geometry), built by PostGIS."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', u.pcode,
                'properties', json_build_object('pcode', u.pcode, 'name', u.name, 'level', u.level),
                'geometry', ST_AsGeoJSON(u.web_geom, 5)::json) ORDER BY u.level, u.name), '[]'::json))::text
            FROM library_campaign_places cp JOIN regions_adminunit u ON u.id = cp.adminunit_id
            WHERE cp.campaign_id = %s
        """, [campaign.id])
        return cursor.fetchone()[0]


def recommendation_as_dict(recommendation: Recommendation) -> dict:
    return {"id": recommendation.id, "text": recommendation.text, "addressed_to": recommendation.addressed_to,
            "status": recommendation.status, "follow_up": recommendation.follow_up,
            "position": recommendation.position, "version": recommendation.version}


def event_as_dict(audience: Audience, event: Event, *, detail: bool = False) -> dict:
    data = {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "organisation": organisation_ref(event.organisation),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": event.venue,
        "place": {"pcode": event.place.pcode, "name": event.place.name} if event.place else None,
        "locality": {"pcode": event.locality.pcode, "name": event.locality.name} if event.locality else None,
        "visibility": event.visibility,
        "is_demo": event.is_demo,
        "version": event.version,
        "page": reverse("library:event", args=[event.id]),
    }
    if detail:
        report_visible = event.report_id and Document.objects.filter(visible_library_q(audience),
                                                                     pk=event.report_id).exists()
        data.update(
            summary=event.summary, programme=event.programme,
            speakers=[line.strip() for line in event.speakers.splitlines() if line.strip()],
            participants={"women": event.participants_women, "men": event.participants_men},
            themes=sorted(t.code for t in event.themes.all()),
            co_organisers=[organisation_ref(o) for o in event.co_organisers.all()],
            report={"id": event.report_id, "title": event.report.title,
                    "page": reverse("library:document", args=[event.report_id])} if report_visible else None,
            recommendations=[recommendation_as_dict(r) for r in event.recommendations.all()],
            can_edit=can_edit_library_record(audience, organisation_id=event.organisation_id),
        )
    return data


def news_as_dict(news: NewsItem) -> dict:
    return {"id": news.id, "title": news.title, "body": news.body, "published_at": news.published_at,
            "organisation": organisation_ref(news.organisation), "event": news.event_id,
            "document": news.document_id, "visibility": news.visibility, "is_demo": news.is_demo,
            "version": news.version}


def library_of_organisation(audience: Audience, organisation) -> dict:
    """What an organisation's profile lists: its documents, campaigns and events this audience may see."""
    from .documents import documents_visible, with_list_relations

    documents = with_list_relations(documents_visible(audience).filter(organisation=organisation)
                                    .order_by("-published_on", "-id"))[:20]
    campaigns = campaigns_visible(audience).filter(organisation=organisation)[:20]
    events = (events_visible(audience).filter(organisation=organisation)
              .prefetch_related(Prefetch("recommendations")).order_by("-starts_at")[:20])
    return {"documents": list(documents), "campaigns": list(campaigns), "events": list(events)}





def events_upcoming_geojson(audience: Audience, *, limit: int = 200) -> str:
    """Upcoming events this audience may see, as GeoJSON points built by PostGIS: the locality, else a point
    inside the event's admin unit; events with neither are left out."""
    ids = list(events_visible(audience).filter(starts_at__gte=timezone.now()).order_by("starts_at")
               .values_list("id", flat=True)[:limit])
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', e.id,
                'properties', json_build_object('title', e.title, 'kind', e.kind, 'starts_at', e.starts_at,
                                                'organisation', o.name, 'is_demo', e.is_demo),
                'geometry', ST_AsGeoJSON(coalesce(l.geom, ST_PointOnSurface(u.web_geom)), 5)::json)
                ORDER BY e.starts_at), '[]'::json))::text
            FROM library_event e JOIN organisations_organisation o ON o.id = e.organisation_id
            LEFT JOIN regions_locality l ON l.id = e.locality_id LEFT JOIN regions_adminunit u ON u.id = e.place_id
            WHERE e.id = ANY(%s) AND (l.id IS NOT NULL OR u.id IS NOT NULL)
        """, [ids])
        return cursor.fetchone()[0]
