"""Reads of trainings: the list and calendar (public), seats left, registrations (counts, for the people
concerned: organisations/access/), venues as GeoJSON points and the calendar as iCalendar (RFC 5545)."""
import datetime as dt
import json

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from icalendar import Calendar, Event

from geo_backend.organisations.access import (
    Audience,
    can_manage_training,
    visible_training_registrations_q,
    visible_trainings_q,
)

from ..models import Training, TrainingAttendance, TrainingRegistration
from ..services.notifications import site_url


def trainings_visible(audience: Audience) -> QuerySet:
    return (Training.objects.filter(visible_trainings_q(audience))
            .select_related("trainer_organisation", "network", "locality").prefetch_related("themes", "needs"))


def training_search(audience: Audience, *, theme: str | None = None, network: int | None = None,
                    organisation: int | None = None, need: str | None = None, start_from: dt.date | None = None,
                    start_to: dt.date | None = None, include_cancelled: bool = True) -> QuerySet:
    """Trainings on a theme (a domain includes its sub-domains), of a network, given by an organisation, answering
    a need (dimension code), starting in a period."""
    queryset = trainings_visible(audience)
    if theme:
        queryset = queryset.filter(Q(themes__code=theme) | Q(themes__parent__code=theme))
    if network:
        queryset = queryset.filter(network_id=network)
    if organisation:
        queryset = queryset.filter(trainer_organisation_id=organisation)
    if need:
        queryset = queryset.filter(needs__code=need)
    if start_from:
        queryset = queryset.filter(end_date__gte=start_from)
    if start_to:
        queryset = queryset.filter(start_date__lte=start_to)
    if not include_cancelled:
        queryset = queryset.exclude(status=Training.Status.CANCELLED)
    return queryset.distinct().order_by("start_date", "id")


def seats_taken(training: Training) -> int:
    return training.registrations.filter(status=TrainingRegistration.Status.REGISTERED).aggregate(
        n=Sum("participants"))["n"] or 0


def registrations_visible(audience: Audience, training: Training | None = None) -> QuerySet:
    queryset = TrainingRegistration.objects.filter(visible_training_registrations_q(audience)).select_related(
        "organisation", "training")
    return queryset.filter(training=training) if training is not None else queryset


def attendance_totals(registrations) -> dict[str, dict[str, int]]:
    """{sex: {age band: people}} over the registrations' recorded attendance."""
    totals: dict[str, dict[str, int]] = {}
    for sex, band, count in (TrainingAttendance.objects.filter(registration__in=registrations)
                             .values_list("sex", "age_band").annotate(n=Sum("count")).order_by()):
        totals.setdefault(sex, {})[band] = count
    return totals


def training_as_dict(audience: Audience, training: Training) -> dict:
    registrations = registrations_visible(audience, training)
    taken = seats_taken(training)
    return {
        "id": training.id, "version": training.version, "title": training.title,
        "description": training.description, "format": training.format, "status": training.status,
        "themes": sorted(t.code for t in training.themes.all()),
        "needs": sorted(d.code for d in training.needs.all()),
        "trainer_organisation": {"id": training.trainer_organisation_id, "name": training.trainer_organisation.name},
        "network": {"id": training.network_id, "name": training.network.name} if training.network_id else None,
        "locality": ({"pcode": training.locality.pcode, "name": training.locality.name}
                     if training.locality_id else None),
        "venue": training.venue, "start_date": training.start_date, "end_date": training.end_date,
        "seats": training.seats, "seats_taken": taken, "seats_left": max(training.seats - taken, 0),
        "materials": training.materials, "is_demo": training.is_demo,
        "registrations": [registration_as_dict(r) for r in registrations],
        "attendance": attendance_totals(registrations) if can_manage_training(
            audience, trainer_organisation_id=training.trainer_organisation_id, network_id=training.network_id)
        else None,
    }


def registration_as_dict(registration: TrainingRegistration) -> dict:
    return {"id": registration.id, "version": registration.version, "training": registration.training_id,
            "organisation": {"id": registration.organisation_id, "name": registration.organisation.name},
            "participants": registration.participants, "status": registration.status, "note": registration.note,
            "attendance": [{"sex": a.sex, "age_band": a.age_band, "count": a.count}
                           for a in registration.attendance.all()]}


def trainings_feature_collection(audience: Audience, trainings: QuerySet) -> str:
    """The trainings with a place, as GeoJSON points (the locality), built by PostGIS."""
    ids = list(trainings.exclude(locality__isnull=True).values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(json_agg(json_build_object(
              'type', 'Feature', 'id', t.id, 'geometry', ST_AsGeoJSON(l.geom, 5)::json,
              'properties', json_build_object('id', t.id, 'title', t.title, 'start_date', t.start_date,
                                              'end_date', t.end_date, 'status', t.status, 'place', l.name,
                                              'organisation', o.name)) ORDER BY t.start_date, t.id), '[]')
            FROM collaboration_training t JOIN regions_locality l ON l.id = t.locality_id
            JOIN organisations_organisation o ON o.id = t.trainer_organisation_id
            WHERE t.id = ANY(%s)
            """,
            [ids],
        )
        (features,) = cursor.fetchone()
    features = features if isinstance(features, list) else json.loads(features)
    for feature in features:
        feature["properties"]["url"] = reverse("collaboration:training", args=[feature["id"]])
    return json.dumps({"type": "FeatureCollection", "features": features})


def trainings_ical(trainings: QuerySet) -> bytes:
    """The trainings as an iCalendar feed: one all-day event each (the end is exclusive in iCalendar), stable UIDs
    and SEQUENCE = version, so calendar applications update an event rather than duplicate it."""
    calendar = Calendar()
    calendar.add("prodid", "-//Musoya//Formations//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Musoya · formations")
    for training in trainings:
        event = Event()
        event.add("uid", f"training-{training.id}@musoya")
        event.add("dtstamp", training.updated_at)
        event.add("last-modified", training.updated_at)
        event.add("sequence", training.version)
        event.add("dtstart", training.start_date)
        event.add("dtend", training.end_date + dt.timedelta(days=1))
        event.add("summary", training.title)
        event.add("description", f"{training.trainer_organisation.name}\n\n{training.description}".strip())
        place = ", ".join(filter(None, [training.venue, training.locality.name if training.locality_id else ""]))
        if place:
            event.add("location", place)
        if training.locality_id:
            event.add("geo", (training.locality.geom.y, training.locality.geom.x))
        event.add("url", site_url() + reverse("collaboration:training", args=[training.id]))
        event.add("status", "CANCELLED" if training.status == Training.Status.CANCELLED else "CONFIRMED")
        event.add("categories", [t.code for t in training.themes.all()] or ["formation"])
        calendar.add_component(event)
    return calendar.to_ical()
