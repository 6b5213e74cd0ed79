"""Writes of campaigns, events (with their recommendations) and news items."""
from django.db import transaction

from geo_backend.common.errors import DomainError, refuse_fields_outside
from geo_backend.common.locking import version_bump
from geo_backend.organisations.access import Audience, require_library_editor
from geo_backend.organisations.models import Organisation

from ..models import Campaign, Event, NewsItem, Recommendation

CAMPAIGN_FIELDS = {"title", "message", "start_date", "end_date", "visibility"}
CAMPAIGN_RELATIONS = ("participants", "themes", "places", "documents")
EVENT_FIELDS = {"title", "kind", "summary", "programme", "speakers", "starts_at", "ends_at", "venue", "locality",
                "place", "participants_women", "participants_men", "report", "visibility"}
EVENT_RELATIONS = ("co_organisers", "themes")
NEWS_FIELDS = {"title", "body", "published_at", "event", "document", "visibility"}
RECOMMENDATION_FIELDS = {"text", "addressed_to", "status", "follow_up", "position"}


def _set_relations(record, names, relations: dict) -> None:
    for name in names:
        if name in relations:
            getattr(record, name).set(relations[name])


def _check_own_document(organisation_id: int, document) -> None:
    """A report or a linked document must be one the organisation may point to: its own or a public one."""
    if document is not None and document.organisation_id != organisation_id and document.visibility != "public":
        raise DomainError("document_not_linkable", "Ce document n'est pas public : seule son organisation peut "
                          "le lier.", "This document is not public: only its organisation can link it.")


def _create(model, allowed, relation_names, *, audience: Audience, organisation: Organisation, fields: dict,
            relations: dict):
    require_library_editor(audience, organisation_id=organisation.id)
    refuse_fields_outside(fields, allowed)
    record = model.objects.create(organisation=organisation, created_by_id=audience.user_id,
                                  is_demo=organisation.is_demo, **fields)
    _set_relations(record, relation_names, relations)
    return record


def _update(model, allowed, relation_names, record, *, audience: Audience, expected_version: int, fields: dict,
            relations: dict):
    require_library_editor(audience, organisation_id=record.organisation_id)
    refuse_fields_outside(fields, allowed)
    version_bump(model, pk=record.pk, expected_version=expected_version, **fields)
    record.refresh_from_db()
    _set_relations(record, relation_names, relations)
    return record


def _delete(model, record, *, audience: Audience, expected_version: int) -> None:
    require_library_editor(audience, organisation_id=record.organisation_id)
    version_bump(model, pk=record.pk, expected_version=expected_version)
    record.delete()


@transaction.atomic
def campaign_create(*, audience, organisation, fields, relations) -> Campaign:
    for document in relations.get("documents", []):
        _check_own_document(organisation.id, document)
    return _create(Campaign, CAMPAIGN_FIELDS, CAMPAIGN_RELATIONS, audience=audience, organisation=organisation,
                   fields=fields, relations=relations)


@transaction.atomic
def campaign_update(*, audience, campaign, expected_version, fields, relations) -> Campaign:
    for document in relations.get("documents", []):
        _check_own_document(campaign.organisation_id, document)
    return _update(Campaign, CAMPAIGN_FIELDS, CAMPAIGN_RELATIONS, campaign, audience=audience,
                   expected_version=expected_version, fields=fields, relations=relations)


@transaction.atomic
def campaign_delete(*, audience, campaign, expected_version) -> None:
    _delete(Campaign, campaign, audience=audience, expected_version=expected_version)


@transaction.atomic
def event_create(*, audience, organisation, fields, relations, recommendations=()) -> Event:
    """Creates an event, with its recommendations (lines of text) if given."""
    _check_own_document(organisation.id, fields.get("report"))
    event = _create(Event, EVENT_FIELDS, EVENT_RELATIONS, audience=audience, organisation=organisation,
                    fields=fields, relations=relations)
    for position, text in enumerate(line.strip() for line in recommendations):
        if text:
            Recommendation.objects.create(event=event, text=text, position=position)
    return event


@transaction.atomic
def event_update(*, audience, event, expected_version, fields, relations) -> Event:
    if "report" in fields:
        _check_own_document(event.organisation_id, fields["report"])
    return _update(Event, EVENT_FIELDS, EVENT_RELATIONS, event, audience=audience,
                   expected_version=expected_version, fields=fields, relations=relations)


@transaction.atomic
def event_delete(*, audience, event, expected_version) -> None:
    _delete(Event, event, audience=audience, expected_version=expected_version)


@transaction.atomic
def recommendation_create(*, audience, event: Event, fields: dict) -> Recommendation:
    require_library_editor(audience, organisation_id=event.organisation_id)
    refuse_fields_outside(fields, RECOMMENDATION_FIELDS)
    if not fields.get("text", "").strip():
        raise DomainError("text_required", "Écrivez la recommandation.", "Write the recommendation.")
    fields.setdefault("position", event.recommendations.count())
    return Recommendation.objects.create(event=event, **fields)


@transaction.atomic
def recommendation_update(*, audience, recommendation: Recommendation, expected_version: int,
                          fields: dict) -> Recommendation:
    """Changes a recommendation, typically its follow-up: open → under way → done."""
    require_library_editor(audience, organisation_id=recommendation.event.organisation_id)
    refuse_fields_outside(fields, RECOMMENDATION_FIELDS)
    version_bump(Recommendation, pk=recommendation.pk, expected_version=expected_version, **fields)
    recommendation.refresh_from_db()
    return recommendation


@transaction.atomic
def recommendation_delete(*, audience, recommendation: Recommendation, expected_version: int) -> None:
    require_library_editor(audience, organisation_id=recommendation.event.organisation_id)
    version_bump(Recommendation, pk=recommendation.pk, expected_version=expected_version)
    recommendation.delete()


@transaction.atomic
def news_create(*, audience, organisation, fields) -> NewsItem:
    return _create(NewsItem, NEWS_FIELDS, (), audience=audience, organisation=organisation, fields=fields,
                   relations={})


@transaction.atomic
def news_update(*, audience, news, expected_version, fields) -> NewsItem:
    return _update(NewsItem, NEWS_FIELDS, (), news, audience=audience, expected_version=expected_version,
                   fields=fields, relations={})


@transaction.atomic
def news_delete(*, audience, news, expected_version) -> None:
    _delete(NewsItem, news, audience=audience, expected_version=expected_version)
